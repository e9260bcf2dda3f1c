"""Encodings: GB labels read as GB18030, bytes beating lying labels, garbled-text checks.

Real GB-labelled pages of ../shared/corpus/pages are re-encoded to GB18030 bytes here
and served with a GB2312 header, the way the live sites sent them; the stored UTF-8
bytes are served under the same false label, the way a re-saved page arrives.
"""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from crawler.encoding import decode_html, detect_encoding, looks_garbled, normalize_charset, with_true_encoding
from crawler.sites import extract_article, load_profiles
from tests.conftest import shared_path

# GB-labelled (or unlabelled) pages of the corpus and their headlines.
GB_LABELLED = {
    "hexun/hexun-stock-jiaotongyunshubu-2019-09-26.html": ("hexun", "交通运输部：着力打造京津冀区域综合立体交通网络"),
    "people/people-culture-zhengbanqiao-2019-06-15.html": ("people", "女儿出嫁，郑板桥画了几笔兰花当嫁妆"),
    "qq/qq-finance-lengjing-2019-09-23.html": ("qq", "棱镜|数据业大整顿：爬虫与现金贷共生共荣，用户信息几元不等"),
    "qq/qq-tech-deepmind-2016-10-14.html": ("qq", "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶"),
}
GB2312_HEADER = {"Content-Type": "text/html; charset=gb2312"}


@pytest.fixture(scope="module")
def profiles():
    return load_profiles()


def _served(file: str, body: bytes, headers: dict[str, str] | None = None) -> HtmlResponse:
    return HtmlResponse(f"https://corpus.invalid/{file}", body=body, headers=headers or {})


@pytest.mark.parametrize("file", sorted(GB_LABELLED))
def test_gb18030_bytes_under_gb2312_header(file, profiles):
    site, headline = GB_LABELLED[file]
    text = shared_path("pages", file).read_text(encoding="utf-8")
    response = with_true_encoding(_served(file, text.encode("gb18030"), GB2312_HEADER))
    assert response.encoding == "gb18030"
    post = extract_article(response, profiles[site])
    assert post.title == headline
    assert looks_garbled(post.title + post.body) is None


@pytest.mark.parametrize("file", sorted(GB_LABELLED))
def test_utf8_bytes_under_false_gb2312_label(file, profiles):
    site, headline = GB_LABELLED[file]
    raw = shared_path("pages", file).read_bytes()
    naive = _served(file, raw, GB2312_HEADER)
    # What Scrapy alone makes of it: the header wins, and the text is mojibake.
    assert naive.encoding == "gb18030"
    assert looks_garbled(naive.text) == "gb-mojibake"
    response = with_true_encoding(naive)
    assert response.encoding == "utf-8"
    assert extract_article(response, profiles[site]).title == headline


def test_utf8_bytes_under_false_meta_only(profiles):
    # No HTTP header: the page's own <meta charset=gb2312> is the lie.
    file = "hexun/hexun-stock-jiaotongyunshubu-2019-09-26.html"
    response = with_true_encoding(_served(file, shared_path("pages", file).read_bytes()))
    assert response.encoding == "utf-8"
    assert extract_article(response, profiles["hexun"]).title == GB_LABELLED[file][1]


def test_unlabelled_page_is_read_as_utf8():
    file = "163/163-money-longhu-2019-09-07.html"  # no page-level charset at all
    text, encoding = decode_html(shared_path("pages", file).read_bytes())
    assert encoding == "utf-8" and "龙湖集团" in text


# --- invented inputs ---------------------------------------------------------------------------

SAMPLE = (
    "<html><head><meta charset='gb2312'></head><body><h1>示例新闻：市场平稳运行</h1><p>正文第一段。</p></body></html>"
)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("cp936", "gb18030"),
        ("GB18030", "gb18030"), ("UTF-8", "utf-8"), ("utf8", "utf-8"), ("'big5'", "big5"),
        ("", None), (None, None), ("no-such-charset", None),
    ],
)  # fmt: skip
def test_normalize_charset(label, expected):
    assert normalize_charset(label) == expected


def test_gbk_only_characters_survive_a_gb2312_label():
    # 镕 and 炜 are in GBK/GB18030 but not in GB2312: a strict GB2312 codec loses them.
    body = SAMPLE.replace("示例新闻", "朱镕基与李炜").encode("gb18030")
    text, encoding = decode_html(body, "text/html; charset=gb2312")
    assert encoding == "gb18030" and "朱镕基与李炜" in text


def test_declared_utf8_but_gb_bytes():
    body = SAMPLE.encode("gb18030")
    text, encoding = decode_html(body, "text/html; charset=utf-8")
    assert encoding == "gb18030" and "示例新闻" in text


def test_override_beats_everything():
    body = SAMPLE.encode("big5", errors="ignore")
    assert detect_encoding(body, "text/html; charset=utf-8", override="big5") == "big5"
    assert detect_encoding(SAMPLE.encode("utf-8"), None, override="gbk") == "gb18030"


def test_bom_wins():
    assert detect_encoding("\ufeff<p>示例</p>".encode("utf-16-le"), "text/html; charset=gb2312") == "utf-16-le"


def test_undecodable_bytes_fall_back_with_replacement():
    body = b"<p>\xff\xfe\xff\xfe\x81</p>"
    text, encoding = decode_html(body, "text/html; charset=utf-8")
    assert "\ufffd" in text and looks_garbled(text) == "replacement-character"


def test_with_true_encoding_returns_the_same_response_when_right():
    response = HtmlResponse("https://a.example/", body=SAMPLE.encode("utf-8"), encoding="utf-8")
    assert with_true_encoding(response) is response


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("市场平稳运行，成交额小幅回落。", None),
        ("", None),
        ("Plain ASCII text.", None),
        ("市场平稳运行\ufffd成交额", "replacement-character"),
        ("锟斤拷锟斤拷", "gb-mojibake"),
        ("市场平稳运行，成交额小幅回落。".encode().decode("gb18030", errors="replace"), "gb-mojibake"),
        ("市场平稳运行，成交额小幅回落。".encode().decode("latin-1"), "latin-mojibake"),
        ("Café crème brûlée, naïve façade", None),
    ],
)
def test_looks_garbled(text, reason):
    assert looks_garbled(text) == reason


def test_looks_garbled_allowance_for_a_few_replacement_characters():
    text = "正文" * 200 + "\ufffd\ufffd"
    assert looks_garbled(text) == "replacement-character"
    assert looks_garbled(text, max_replacement_chars=2) is None


def test_mojibake_of_every_corpus_page_is_caught():
    for path in sorted(shared_path("pages").glob("*/*.html")):
        text = path.read_text(encoding="utf-8")
        assert looks_garbled(text.encode("utf-8").decode("gb18030", errors="replace")), path.name
