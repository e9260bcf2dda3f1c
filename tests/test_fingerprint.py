"""pipelines.fingerprint: normalisation, exact hash and SimHash on invented Chinese text."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipelines.fingerprint import body_text, exact_fingerprint, hamming, shingles, simhash64

# Invented text (not from any site), ~240 characters: long enough for near-body matching.
LONG_TEXT = (
    "本报讯，某市统计部门今日发布的数据显示，今年前三季度全市规模以上工业增加值同比增长百分之六点二，"
    "增速比上半年加快零点八个百分点。其中，高技术制造业增加值增长百分之十一点五，占规模以上工业的比重"
    "提高到百分之二十三。分行业看，电子设备、汽车零部件和新材料三个行业合计贡献了全市工业增长的一半以上。"
    "与此同时，社会消费品零售总额稳步回升，餐饮、旅游和文化消费明显回暖，线上零售额增长较快。"
    "有关负责人表示，下一阶段将继续加大对中小企业的金融支持力度，推动重点项目尽快开工建设，"
    "确保全年经济社会发展目标顺利完成。"
)


def test_body_text_strips_markup_and_layout():
    html = "<p>　　沪指&nbsp;收涨０.５％，<b>成交额</b>超１万亿元。</p>\n<p>北向资金\u3000净买入。</p>"
    assert body_text(html) == "沪指收涨0.5%,成交额超1万亿元。北向资金净买入。"


def test_body_text_same_for_plain_text_and_html_copies():
    plain = "央行今日开展逆回购操作。\n\n市场流动性总体充裕。"
    html = '<p class="em_media">央行今日开展逆回购操作。</p><p>市场流动性&#x603B;体充裕。</p>'
    assert body_text(plain) == body_text(html) == "央行今日开展逆回购操作。市场流动性总体充裕。"


def test_body_text_drops_scripts_styles_comments_and_decodes_entities_once():
    html = "<div><script>var a=1;</script><style>p{}</style><!-- 注释 -->正文&lt;一&gt;&amp;二</div>"
    assert body_text(html) == "正文<一>&二"


def test_body_text_drops_invisible_characters():
    assert body_text("\ufeff股市\u200b收盘\xa0 \t\r\n") == "股市收盘"
    assert body_text("<p>股市\x00收\x0b盘\x1f</p>") == "股市收盘"  # lxml refuses control characters


@pytest.mark.parametrize("empty", ["", "   ", "\u3000\n", "<p></p>", "<p>&nbsp;</p>"])
def test_body_text_of_empty_bodies(empty):
    assert body_text(empty) == ""


def test_fullwidth_fold_covers_exactly_the_ascii_block():
    assert body_text("ＡＢＣａｂｃ０１２！～") == "ABCabc012!~"
    # Outside U+FF01..U+FF5E nothing changes: CJK punctuation and half-width katakana stay.
    assert body_text("。、「」｡ｱ") == "。、「」｡ｱ"


def test_exact_fingerprint_is_fixed_and_64_bit():
    assert exact_fingerprint("沪指收涨0.5%") == 5001787501223062613
    assert exact_fingerprint("") == exact_fingerprint("")
    assert 0 <= exact_fingerprint(LONG_TEXT) < 1 << 64
    assert exact_fingerprint("沪指收涨0.5%") != exact_fingerprint("沪指收涨0.6%")


def test_fingerprints_do_not_depend_on_the_process():
    code = (
        "from pipelines.fingerprint import exact_fingerprint, simhash64;"
        "print(exact_fingerprint('沪指收涨0.5%'), simhash64('沪指收涨0.5%'))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["5001787501223062613", "5486774684106817931"]


def test_shingles():
    assert shingles("北向资金") == ["北向资", "向资金"]
    assert shingles("北向") == ["北向"]
    assert shingles("") == []


def test_simhash_of_equal_and_empty_texts():
    assert simhash64(LONG_TEXT) == simhash64(LONG_TEXT)
    assert simhash64("") == 0
    assert 0 <= simhash64(LONG_TEXT) < 1 << 64


def test_simhash_distance_follows_the_amount_of_change():
    base = simhash64(LONG_TEXT)
    one_char = LONG_TEXT.replace("百分之六点二", "百分之六点三")
    sentence_added = LONG_TEXT + "她表示，相关政策将在年底前陆续出台。"
    rewritten = "记者从市统计部门获悉，前三季度工业生产保持平稳，消费市场逐步恢复，多项指标好于预期。"
    assert hamming(base, simhash64(one_char)) == 1
    assert hamming(base, simhash64(sentence_added)) == 7
    assert hamming(base, simhash64(rewritten)) == 23


def test_hamming():
    assert hamming(0, 0) == 0
    assert hamming(0b1011, 0b0001) == 2
    assert hamming(0, (1 << 64) - 1) == 64
