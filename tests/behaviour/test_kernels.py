"""The compiled kernels and the same kernels run as plain Python (what a small run does, see
prep/compiled.py) write the same bytes, on text of every kind the kernels read."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polars as pl

from tests import badinputs as bad
from tests.clean.pagedumps import page_dump
from tests.conftest import SEEDS, run_prep
from tests.dedup.helpers import sentences

TEXTS = {
    "german.txt": "Nachrichten aus Köln\n\n" + " ".join([bad.GERMAN] * 6),
    "french.txt": "La grève\n\n" + " ".join([bad.FRENCH] * 6),
    "russian.txt": "Новости города\n\n" + "Городской совет одобрил новый план строительства моста через реку. " * 8,
    "japanese.txt": "東京の交通\n\n" + "東京都は十五日、都内の公共交通を大きく見直す新しい計画を発表した。" * 6,
    "thai.txt": "ข่าว\n\n" + "กรุงเทพมหานครประกาศแผนพัฒนาระบบขนส่งสาธารณะฉบับใหม่เมื่อวันพุธ " * 6,
    "arabic.txt": "أخبار\n\n" + "وافق مجلس المدينة على خطة جديدة لبناء جسر فوق النهر في الربيع المقبل. " * 6,
    "symbols.txt": "### $$$ %%% @@@ !!! ??? ... … ★★★ 🙂🙂 🇳🇱 ＦＵＬＬ ﬁ " * 20,
    "mojibake.txt": "Itâ€™s a café\n\n" + bad.story(3) + "\n\nDon\x92t stop\x85",
    "repeated.txt": "\n".join(["Buy now! Limited offer on every item today."] * 40),
    "list.txt": "Ingredients\n\n" + "\n".join(f"- {n} cups of flour and sugar" for n in range(30)),
    # English prose the filters keep, with lines of other scripts: their characters reach dedup
    "mixed.txt": bad.story(4) + "\n\nГородской совет одобрил новый план строительства моста через реку, сообщили "
                 "в мэрии.\n\n東京都は十五日、都内の公共交通を大きく見直す新しい計画を発表したと伝えられている。\n\n"
                 "The ﬁnal ＦＵＬＬ report on the Straße project is due in İstanbul next week, officials said.",
    "page_dump.txt": page_dump(1)[0],  # the page model's kernels
    "ragged.txt": "\n\n".join(" ".join(sentences(70 + i, 3)) for i in range(5)) + "\n\nShare on Facebook\nMenu",
}


def run_both_ways(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "copy.txt").write_text(TEXTS["ragged.txt"].replace("Menu", "Home"), encoding="utf-8")
    (folder / "feed.jsonl").write_text("\n".join(json.dumps({"id": i, "text": bad.story(10 + i)})
                                                 for i in range(8)) + "\n", encoding="utf-8")
    outs = []
    for mode in ("interpreted", "compiled"):
        result = run_prep("run", "in", "--out", mode, cwd=tmp_path, env={**os.environ, "PREP_KERNELS": mode})
        assert result.returncode == 0, result.stderr
        outs.append(tmp_path / mode)
    return outs[0], outs[1]


def test_interpreted_and_compiled_kernels_write_the_same_bytes(tmp_path: Path):
    interpreted, compiled = run_both_ways(tmp_path)
    parts = sorted(p.relative_to(compiled) for p in compiled.rglob("*.parquet"))
    assert len(parts) == 3
    assert parts == sorted(p.relative_to(interpreted) for p in interpreted.rglob("*.parquet"))
    for part in parts:
        assert (interpreted / part).read_bytes() == (compiled / part).read_bytes(), part
    # the text of other scripts was signed (kernels that decode UTF-8 read it the same both ways)
    signed = pl.read_parquet(compiled / "dedup" / "signatures" / "*.parquet")["doc_id"]
    corpus = pl.read_parquet(compiled / "corpus" / "*.parquet")
    mixed = corpus.filter(pl.col("source_path").str.ends_with("mixed.txt"))
    assert mixed.height == 1 and mixed["doc_id"].is_in(signed.implode()).all() and "Городской" in mixed["text"][0]
