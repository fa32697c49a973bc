"""Language identification with the real detector (CLD2, its model in the wheel)."""

from __future__ import annotations

import polars as pl
import pytest

from prep.config import LanguageConfig
from prep.filter.language import detect, language
from tests.filter.junk import RUSSIAN_ARTICLE, symbols

SAMPLES = {
    "en": "The city council approved a new budget on Tuesday after a long debate about schools, roads and the "
          "cost of public transport, which has risen sharply over the past two years.",
    "pt": "A prefeitura aprovou nesta terça-feira um novo orçamento depois de um longo debate sobre escolas, "
          "estradas e o custo do transporte público, que subiu muito nos últimos dois anos.",
    "ru": RUSSIAN_ARTICLE,
    "ko": "시의회는 화요일 학교와 도로, 대중교통 비용에 관한 긴 토론 끝에 새 예산을 승인했다. "
          "대중교통 요금은 지난 2년 동안 크게 올랐으며 시민들의 불만이 이어지고 있다.",
    "id": "Dewan kota menyetujui anggaran baru pada hari Selasa setelah perdebatan panjang tentang sekolah, jalan, "
          "dan biaya transportasi umum yang naik tajam selama dua tahun terakhir.",
    "de": "Der Stadtrat hat am Dienstag nach einer langen Debatte über Schulen, Straßen und die Kosten des "
          "öffentlichen Nahverkehrs einen neuen Haushalt beschlossen.",
    "ja": "市議会は火曜日、学校や道路、公共交通の費用をめぐる長い議論の末に新しい予算を承認した。"
          "運賃はこの二年間で大きく上がった。",
    "zh": "市议会周二在就学校、道路和公共交通费用进行长时间辩论后批准了新的预算。"
          "公共交通票价在过去两年中大幅上涨。",
}


@pytest.mark.parametrize("code", list(SAMPLES))
def test_detects_languages_of_crawls(code: str):
    found = detect(pl.Series([SAMPLES[code]]))
    assert found["language"][0] == code
    assert found["language_score"][0] >= 0.9


def test_no_letters_is_undetermined():
    found = detect(pl.Series([symbols(), "", None, "+1 (555) 123-4567\n4111 1111 1111 1111"]))
    assert found["language"].to_list() == ["und"] * 4
    assert found["language_score"].to_list() == [0.0] * 4


def test_controls_the_detector_refuses_are_handled():
    found = detect(pl.Series(["Caf\x80\x9d the news of the day is that the council met again and voted."]))
    assert found["language"][0] == "en"


def test_keep_and_min_score():
    docs = pl.DataFrame({"text": [SAMPLES["en"], SAMPLES["pt"], SAMPLES["ru"], symbols()]})
    out = language(docs, LanguageConfig(keep=["en", "pt"]))
    assert out["language"].to_list() == ["en", "pt", "ru", "und"]
    assert out["drop_reason"].to_list() == [None, None, "language", "language"]
    assert out["drop_detail"][2].startswith("ru 0.")
    assert out["drop_detail"][3] == "und 0.0"
    out = language(docs, LanguageConfig(min_score=0.5))
    assert out["drop_reason"].to_list() == [None, None, None, "language"]
    assert language(docs, LanguageConfig())["drop_reason"].null_count() == 4   # default: every language kept


def test_documents_already_dropped_are_not_identified():
    docs = pl.DataFrame({"text": [SAMPLES["en"], SAMPLES["ru"]], "drop_reason": ["near_duplicate", None]})
    out = language(docs, LanguageConfig(keep=["en"]))
    assert out["language"].to_list() == [None, "ru"]
    assert out["drop_reason"].to_list() == ["near_duplicate", "language"]


def test_sample_chars_reads_the_start():
    text = SAMPLES["en"] + " " + SAMPLES["pt"] * 5
    assert detect(pl.Series([text]), sample_chars=150)["language"][0] == "en"
    assert detect(pl.Series([text]), sample_chars=5000)["language"][0] == "pt"


def test_keep_codes_are_checked():
    with pytest.raises(ValueError, match="ISO 639"):
        LanguageConfig(keep=["English"])
