"""The named line rules: the chrome that news sites share, as patterns any site would trip.

Each rule is a regular expression (Rust `regex` syntax, run by polars) that the lowercased line
is tested against, so patterns are written in lowercase (`\b` is an ASCII word boundary), and
a word limit: a rule only removes lines at most that long, so a real paragraph that happens to
say "subscribe" is never taken for a subscribe button. Rules can be switched off, re-tuned or
added in the config under [clean.rules.<name>]; rules.py applies them.

To add a rule for everyone: a `Rule` here, with a doc that says what it removes, and a test in
tests/clean/test_rules.py of a line it must take and one it must leave.
"""

from __future__ import annotations

from dataclasses import dataclass

_AD_LABEL = (r"(advertisement|advertising|sponsored( content| post)?|paid (content|post)|promoted( content)?|ad|ads"
             r"|partner content|story continues below( advertisement)?|article continues below( advertisement)?"
             r"|(advertiser|affiliate|advertising) disclosures?)")
_SEP = r"\s*[/>»|›→]\s*"
_SEGMENT = r"\p{L}[\p{L} &'’-]{0,39}"  # words only: a row of a table has figures


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: str
    max_words: int
    doc: str = ""
    needs: str | None = None  # a cheap pattern a line must match before `pattern` is tried
    spares_title: bool = False  # a labelled headline can trip this rule
    judges_tables: bool = True  # False: a table's header row has this rule's shape
    enabled: bool = True  # False: a rule the config can switch on


CATALOGUE: tuple[Rule, ...] = (
    Rule("exit_mobile_version", r"^exit (the )?mobile version$", 4,
         "link back from a mobile page (WordPress AMP plugins)"),
    Rule("more_news", r"^(more|latest|other|top|related|recent|trending)( \w+)? (news|stories|articles|"
         r"posts|headlines|videos)( (at|on|from|in)\b.*[^.!?])?\s*:?$", 10,
         "'More News at <site>', 'Latest stories', 'Related articles'"),
    # a verb alone ("Watch", "View") is as often a table cell or a label of the article's own
    Rule("read_more", r"^((continue reading|keep reading|click here|tap here)[\s.…>»→-]*"
         r"|(read|see|view|watch|listen) (more|also|next|here|on|the (full )?(story|article|rest)|full (story|article"
         r"|coverage))[\s.…>»→-]*|(read|see|view|watch|listen)\s*[.…>»→-]+)$", 16,
         "'Read more', 'Continue reading', 'Click here', 'Watch »'"),
    # off by default: on the development pages, most "Read more: <headline>" lines are links the
    # article's author put in the text, which its ground truth keeps
    Rule("read_more_teaser", r"^(read|see|view|watch|listen)( (more|also|next|on))?\s*[:»>→]\s*\S.*$", 16,
         "'Read next: <other story>', 'READ MORE: <other story>'", spares_title=True, enabled=False),
    Rule("related_label", r"^(related( articles?| stories| posts| news| content| coverage| links| reading| reads|"
         r" topics| videos| blogs?)?|also read|read also|recommended( for you| stories| articles| posts| reading"
         r"| reads| from \S+)?|suggested( for you| reading| articles)?|must read|don'?t miss( this)?"
         r"|you (may|might) (also )?(like|enjoy|be interested in)( these| this| the following( \w+)?( as well)?"
         r"| some of (my|our) other (posts|articles|stories))?|other (related )?(articles|posts|stories)"
         r"( you (may|might) (find interesting|like|enjoy))?|people also (like|read|viewed)"
         r"|what others are reading|more like this"
         r"|more (from|in|on) [\w' ]{1,30}|more (posts |articles |stories |content )?by (the author|this author|us|me)"
         r"|((more|recent|latest)|(view|see) all) (posts|articles|stories) by \w[\w'-]*(\.? \w[\w'-]*){0,2}\s*:?"
         r"|in (other news|case you missed it)"
         r"|editor'?s picks?|most (read|popular|viewed|shared)( articles| posts| stories| reviews| news)?"
         r"|popular (now|posts|stories|articles)|trending( now| stories)?|top stories)"
         r"(\s*[:|\-–—»>].*|\s*(\.\.\.|…))?$", 14,
         "labels of related-story boxes and author archives: 'You may also like', 'Other articles you may "
         "find interesting', 'View all posts by <author>'", spares_title=True),
    Rule("post_nav", r"^(next|previous|prev|older|newer) (post|article|story|entry)\s*([:|\-–—»>«←→].*)?$"
         r"|^[←«‹<]?\s*(previous|prev|older)( post)?\s*[|/·•]?\s*(next|newer)( post)?\s*[→»›>]?$"
         r"|^random (post|article)$", 14,
         "links to the neighbouring posts of a blog: 'Next article: <headline>', '← Previous Next →'",
         spares_title=True),
    Rule("share", r"^((share|tweet|email|e-mail|print|pin|save|copy link|whatsapp|facebook|twitter|x|"
         r"linkedin|reddit|telegram|messenger|flipboard|pinterest|threads|bluesky)( (this|it|on|via|to|"
         r"article|story|post|page|link|by email|with friends|on \w+))*[\s:|,·•.!-]*)+$", 14,
         "share buttons: 'Share on Facebook', 'Tweet', 'Email this story'"),
    Rule("reader_prompt", r"^(like this:|like it\? share it|like what you see\?.*"
         r"|no (responses|comments|replies) yet|all comments are moderated.*"
         r"|did you (make|try) (this|one of (my|our)) recipes?\?.*|tried this recipe\?.*"
         r"|pin (it|this)( recipe| post)? for later|support (my|our|this) (work|blog|site|journalism|writing))"
         r"[\s.!:?]*$", 25,
         "prompts to react to a post: 'Like this:', 'No responses yet', 'Pin it for later!'"),
    # "Join us in Denver for the summit" announces an event of the article: joining needs a place to join
    Rule("follow", r"^((follow|connect with) (us|me|our \w+)|(join|like|find) (us|me) (on|at|via)"
         r"|(join|like) (our|the) (\w+ )?(mailing list|newsletter|community|channel|group|server|page))\b.{0,80}$", 16,
         "'Follow us on Twitter', 'Like us on Facebook', 'Join our Telegram channel', 'Join the Facebook group'"),
    # "Newsletter" as a label, not a sentence about newsletters ("Newsletters are booming.")
    Rule("subscribe", r"^(subscribe|sign up|signup|get (our|the)( \w+)? newsletter)\b|\b(subscribe|sign up) "
         r"(now|today|here|for free|(to|for) (our|the|my))\b|\bdelivered (straight |directly )?to your "
         r"inbox\b|^(our |the |free |daily |weekly )*newsletters?(\s*[:!.]?$|\s*[:|\-–—»>]\s*\S|\s+(sign[ -]?up|signup"
         r"|subscription|archive)\b)", 25,
         "newsletter and subscription prompts"),
    Rule("call_to_action", r"^((start|begin) (your )?(\d+[- ]day )?(free )?trial|(book|schedule|request|get) (a|an|your"
         r"|my) (free |personali[sz]ed )?(demo|call|consultation|quote|estimate|meeting)|(start|get started|try( it)?)"
         r"( for)? free|(check|see|compare|view) (the )?(latest )?price (at|on) \S+( \S+)?|view (it )?on \S+"
         r"|buy (it )?now)( today| now| here)?[\s.!→>»]*$|(^|[.!?] )no (credit )?card required[.!]?$", 10,
         "sales buttons: 'Start free trial', 'Book a demo', 'Get a free quote', 'Check price at <shop>'"),
    Rule("app_promo", r"\b(download|get|install) (our|the) (free )?([a-z0-9]+ )?apps?\b|\b(get it on|download on"
         r"|available on|download (it )?(on|from)) (the )?(app store|google play)\b"
         r"|^(\w[\w’&.-]* ){1,4}(on )?(roku|fire tv|apple tv|android tv)$", 12,
         "links to a site's apps and streaming channels: 'Download our app', 'Get it on Google Play', "
         "'<Site> News Roku'"),
    Rule("cookie_notice", r"\b(we|this (site|website)|our (site|website)) uses? cookies\b|\bcookies?\b.*"
         r"\b(accept|consent|preferences|settings)\b|^(accept|reject|manage) (all )?cookies", 60,
         "cookie and consent banners"),
    Rule("site_links", r"^(privacy policy|terms (of (use|service))?|terms (and|&) conditions|contact( us)?|"
         r"about( us)?|advertise( with us)?|sitemap|careers|imprint|impressum|accessibility|(advertising|editorial"
         r"|cookie|social media|disclosure) polic(y|ies)"
         r"|do not sell( or share)? my personal information|opt out of (the )?sale of (my |your )?personal (data"
         r"|information)( and targeted advertising)?)"
         r"(\s*[|·•/,-]\s*\w+( \w+){0,3})*$", 12, "footer links to a site's own pages", spares_title=True,
         judges_tables=False),
    Rule("official_site_banner", r"^(an official website of the (united states|u\.s\.|\w+) government|official websites"
         r" use \.gov( \S+)?|secure \.gov websites use https)[\s.:]*$", 8,
         "the banner atop government sites: 'An official website of the United States government', "
         "'Official websites use .gov'"),
    Rule("advertisement", rf"^[\s\-–—(\[]*{_AD_LABEL}([\s\-–—|·•]*{_AD_LABEL})*[\s\-–—)\]:]*$", 5,
         "advertisement labels and disclosures"),
    Rule("copyright", r"^(©|\(c\))|^copyright\s*(©|\(c\)|\d{4})|\ball rights reserved\b|©\s*\d{4}|^\d{4}\s*©", 30,
         "copyright and all-rights lines"),
    Rule("alternate_address", r"\b(can (also )?be (accessed|reached|found) at|(alternate|alternative|"
         r"mirror|backup) (web ?)?(address|addresses|domains?|sites?|urls?|links?))\b", 30,
         "notices of a site's alternate addresses"),
    Rule("breadcrumb", rf"^{_SEGMENT}({_SEP}{_SEGMENT}){{2,}}$|^home{_SEP}{_SEGMENT}$", 16,
         "navigation trails: 'News / World / Asia', 'Home > Politics'", needs=r"[/>»|›→].*[/>»|›→]|^home",
         judges_tables=False),
    Rule("caption", r"^((file|archive|stock|representative|representational|feature[d]?) )?"
         r"(photo|image|picture|pic|photograph|video|graphic|illustration|screenshot|footage)s?"
         r"( \d+ of \d+)?(\s*[:|/]|\s+[-–—]\s|\s+(shows?|showing|of|by|from|courtesy|credit|taken|via)\b)"
         r"|^\(?(photo|image|picture|video|graphic)s? (credit|courtesy|by|source)\b"
         r"|^(credit|photograph|photography|image source|photo source)s?\s*:", 40,
         "caption and credit lines: 'File photo shows ...', 'Photo: ...', 'Image credit: ...'",
         spares_title=True),
    Rule("login", r"^(log ?in|log ?out|sign ?in|sign ?out|register|create (an |your )?account|my account|"
         r"forgot (your )?password\??)([\s/|or]+(log ?in|sign ?in|register|sign ?up))*$", 6,
         "account links"),
    Rule("tags_label", r"^(tags?|topics?|categories|category|filed under|keywords)\s*:", 30,
         "tag and category lists"),
    Rule("comments_prompt", r"^(\d+ )?(comments?|leave a (comment|reply)|add (a )?comment|post a comment|"
         r"join the (conversation|discussion)|show comments|view comments)\b.{0,40}$", 10,
         "comment-section prompts"),
    Rule("skip_link", r"^(skip to (main )?(content|navigation|main)|(back|scroll|go) to (the )?(top|blogs?|home"
         r"|homepage|news|articles|all \w+)|toggle navigation|menu|close menu|open menu|search)$", 4,
         "accessibility and menu links: 'Skip to content', 'Back to top', 'Back to blog'"),
)


