"""The issue's junk files and its Russian article, made here (tests make their own fixtures).

A new user's five files that came through prep with nothing removed: a spam line repeated 60
times, 'lorem ipsum' 200 times, a dump of symbols, a file of e-mail addresses, a file of phone
and card numbers; and a Russian news article, kept or dropped by the language config.
"""

from __future__ import annotations

import random

SPAM_LINE = "Buy cheap replica watches online at best-watch-deals.example - 90% off today only, free shipping!"

LOREM = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore."

RUSSIAN_ARTICLE = """\
Городские власти представили новый план развития общественного транспорта

Мэрия в понедельник представила план, по которому к концу следующего года в городе появятся двенадцать новых \
автобусных маршрутов и две выделенные полосы для трамваев. По словам заместителя мэра по транспорту, на проект \
выделено около четырёх миллиардов рублей из городского бюджета.

Главная цель программы — сократить время поездок из спальных районов в центр. Сейчас жители северных \
окраин тратят на дорогу в среднем больше часа, а в часы пик автобусы заполнены до предела. Новые маршруты \
свяжут районы напрямую с пересадочными узлами метро, а интервалы движения в утренние часы сократятся до пяти минут.

Эксперты в целом поддержали инициативу, однако отметили, что без реконструкции перекрёстков выделенные полосы \
не дадут ожидаемого эффекта. «Трамвай быстрее автобуса только тогда, когда ему не приходится стоять в пробке \
вместе со всеми», — пояснил транспортный аналитик, который участвовал в обсуждении проекта.

Жители уже могут оставить отзывы о новых маршрутах на портале городских услуг. Окончательная схема будет \
утверждена после общественных слушаний, которые пройдут в марте. Первые автобусы по новым маршрутам выйдут \
на линию летом, а строительство трамвайных полос начнётся осенью, когда закончится сезон дорожных ремонтов.
"""


def spam() -> str:
    return "\n".join([SPAM_LINE] * 60)


def lorem_ipsum() -> str:
    return " ".join([LOREM] * 200)


def symbols(seed: int = 1) -> str:
    rng = random.Random(seed)
    alphabet = "#$%&*+=<>|~^@!?/\\{}[]()-_:;.,'\"`"
    return "\n".join(" ".join("".join(rng.choice(alphabet) for _ in range(rng.randint(2, 8)))
                              for _ in range(12)) for _ in range(40))


def emails(seed: int = 2) -> str:
    rng = random.Random(seed)
    first = ["anna", "john", "maria", "li", "omar", "sofia", "ivan", "kim", "lucas", "emma"]
    last = ["smith", "garcia", "chen", "ivanova", "okafor", "silva", "kowalski", "nguyen", "muller", "rossi"]
    hosts = ["example.com", "mail.example.org", "corp.example.net"]
    return "\n".join(f"{rng.choice(first)}.{rng.choice(last)}{rng.randint(1, 99)}@{rng.choice(hosts)}"
                     for _ in range(120))


def luhn_digit(digits: str) -> str:
    """The check digit that makes `digits` + it pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def numbers(seed: int = 3) -> str:
    rng = random.Random(seed)
    lines = []
    for _ in range(60):
        lines.append(f"+1 ({rng.randint(200, 999)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}")
        body = "4" + "".join(str(rng.randint(0, 9)) for _ in range(14))
        card = body + luhn_digit(body)
        lines.append(" ".join(card[i:i + 4] for i in range(0, 16, 4)))
    return "\n".join(lines)


JUNK = {"spam.txt": spam, "lorem.txt": lorem_ipsum, "symbols.txt": symbols, "emails.txt": emails,
        "numbers.txt": numbers}


def junk_texts() -> dict[str, str]:
    """File name -> text of the five junk files."""
    return {name: make() for name, make in JUNK.items()}
