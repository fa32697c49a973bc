"""Training prep's models on the development data, reproducibly: the WCXB development pages
(wcxb.py) and the chrome model (chrome.py). Needs the `train` extra (scikit-learn); a run never
imports this package."""
