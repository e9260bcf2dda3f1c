"""Site profiles on the real pages of ../shared/corpus/pages, and the profile machinery on
small invented inputs.

For every article row of the pages MANIFEST.tsv the profile of its site must give the
headline (not the ``<title>`` with its site suffix), the source as the manifest shows it,
the article's own publication date, and a body from the first paragraph to the last
with no navigation, related links or footer text.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from scrapy.http import HtmlResponse

from crawler.sites import (
    ListingEntry,
    ProfileError,
    detect_profile,
    extract_article,
    extract_listing,
    html_text,
    load_profiles,
    next_page_url,
    page_kind,
    parse_profile,
    post_id_from_url,
    profile_for_url,
    site_label,
)
from crawler.sites.clean import clean_node
from crawler.sites.profile import Selection
from crawler.sites.select import matches_any
from pipelines.dates import normalize_date
from tests.conftest import SHARED_DIR, shared_path

SHANGHAI = ZoneInfo("Asia/Shanghai")
CRAWLED_AT = datetime(2021, 1, 1, 12, 0, tzinfo=SHANGHAI)

# file -> (headline, first 20 characters of the body's text, last 20 characters).
# Reviewed by hand against each page: the body starts at the article's first paragraph
# (bylines and datelines that open it are the article's own) and ends at its last
# (editor credits, disclaimers, share bars and related links are cut). Known leftovers,
# kept because no selector can separate them: thepaper-nansha ends with a WeChat
# trailer inline in the text, with the U+FFFD the page itself carries (lost emoji).
ARTICLES = {
    "stcn/stcn-wujiangonggao-tianqi-2019-09-26.html": (
        "午间公告：天奇股份中标广汽丰田项目；运达股份中标7亿元项目", "证券时报e公司讯，当升科技：9614.5", "6万元收购控股子公司日本伊戈尔少数股权。"),
    "hexun/hexun-stock-jiaotongyunshubu-2019-09-26.html": (
        "交通运输部：着力打造京津冀区域综合立体交通网络", "据财联社9月26日消息，今日从交通运输部", "相邻城市间基本实现“1.5小时交通圈”。"),
    "sina/sina-finance-12306-piyao-2018-12-28.html": (
        '60万"12306账号"外泄? 中铁总辟谣称消息不实', "新京报快讯（记者 裴剑飞）今日（12月2", "标）购票，避免非正常渠道购票带来的风险。"),
    "sina/sina-finance-zhaiquan-paomo-2019-09-09.html": (
        "债券市场是否存在泡沫？世界知名首席投资官们这么说", "原创： 路闻卓立编译 人民币交易与研究 ", "时购买政府和企业债券重启量化宽松。（完）"),
    "sina/sina-tech-iphone11-2019-09-11.html": (
        "苹果发布新iPhone 11：64GB售5499元 256GB售6799元", "新浪科技讯 北京时间9月11日凌晨消息，", "回购，实现轻松换新iPhone。(李楠)"),
    "163/163-money-longhu-2019-09-07.html": (
        '多地项目连环爆雷 狂奔的龙湖集团"暗伤"曝露？', "2019年，龙湖集团即将迎来赴港上市10", "需要排查？这需要龙湖给投资者作一个交代。"),
    "people/people-culture-zhengbanqiao-2019-06-15.html": (
        "女儿出嫁，郑板桥画了几笔兰花当嫁妆", "父亲的教诲像一盏灯，为我们照亮前行的路；", "父亲并没有差别，字里行间都是对儿子的爱。"),
    "xinhuanet/xinhuanet-faguo-bagong-2019-12-10.html": (
        "法国全国大罢工再次严重影响交通", "新华社巴黎12月9日电（记者唐霁）法国9", "普将于11日宣布退休制度改革的总体架构。"),
    "thepaper/thepaper-chongdianbao-2019-09-24.html": (
        "共享充电宝涨价告别1元时代：是“收割韭菜”还是回归理性", "“以前花一两元就能充满电，前几天一下子被", "题为《是“收割韭菜”还是“回归理性”》）"),
    "thepaper/thepaper-nansha-youlun-2019-08-13.html": (
        "定了！广州南沙邮轮母港即将开通！地铁直达+无敌免...", "本文原标题：《定了！广州南沙邮轮母港即将", "务！ 看都看完了，点【在看】试试\ufffd\ufffd在看"),
    "cjn/cjn-changjiangwang-wuhan-2020-10-04.html": (
        "外媒眼中的武汉长假：蓬勃发展，欢声笑语", "长江网10月4日讯（记者陈智 整合） 国", "2%。 （资料来源：参考消息、海外网等）"),
    "ifeng/ifeng-nvtong-2019-11-25.html": (
        "女童眼睛被塞几十片纸，“无法用科学解释”", "澎湃新闻记者 段彦超 廖艳 7岁小花（化", "教育片。 （实习生王金茹对此文亦有贡献）"),
    "huanqiu/huanqiu-buyidao-2020-06-05.html": (
        "补壹刀：别笑！18人的“新八国联军”今天成立了", "执笔/叨叨姐、胡一刀&李小飞刀 西方世界", "一点，理性一点，可以吗。 图片均来自网络"),
    "cjddsb/cjddsb-dangdaishangbao-jinrong-2019-09-23.html": (
        "常德市金融系统积极开展“金融知识普及月 金融知识进万家”活动", "为持续推动金融消费者教育和金融知识普及工", "美好生活需要。(文/图 刘玺东 易赛楠)"),
    "fund-portal/fund-portal-tiantianjijin-zixunhuizong-2019-09-26.html": (
        "【资讯汇总】9月26日盘中重要资讯汇总 准确把握市场走向", "收盘播报 【证券时报网】A股三大股指集体", "，从目前来看，债券资金使用情况是良好的。"),
    "mingridapan/mingridapan-gushi-yuce-2019-09-26.html": (
        "最新出炉联合国贸发报告：2019年全球经济增长率降至2.3%", "联合国贸发会议发布了《2019年贸易和发", "单边关税行动，全球贸易增长也将严重减缓。"),
    "toutiao/toutiao-menggu-2019-09-08.html": (
        "最不愁吃肉的国家：顿顿有肉吃，却要靠中国运输蔬菜水果", "当全世界绝大部分国家都在为能够吸引中国游", "斯两国中间的，世界第二大内陆国的蒙古国。"),
    "qq/qq-finance-lengjing-2019-09-23.html": (
        "棱镜|数据业大整顿：爬虫与现金贷共生共荣，用户信息几元不等", "划重点： 一位接近监管的人士对《棱镜》表", "预见的是，第三方数据行业的整顿仍将持续。"),
    "shanxi-gov/shanxi-gov-pinpai-silu-2019-09-18.html": (
        "山西品牌丝路行（南美站）正式启动", "跨越千山万水，行程近两万公里，山西品牌丝", "后在巴西、乌拉圭、阿根廷举行。（张巨峰）"),
    "guancha/guancha-article-with-yesterday-sidebar-2019-09-07.html": (
        "我国集成电路进口突破3000亿美元！魏少军：产业结构扭曲，没将产品作为中心", "9月3日，在第二届全球IC企业家大会暨第", "有30%由外资以及台资在大陆的企业贡献。"),
    "gmw/gmw-yuhangyuan-hejiu-2017-03-10.html": (
        "宇航员在太空中喝酒会怎么样？后果很严重", "翱翔于距地球数千公里的太空中，进入广袤漆", "出品︱网易科学人栏目组 胖胖 作者︱春春"),
    "qq/qq-tech-deepmind-2016-10-14.html": (
        "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶", "TNW中文站 10月14日报道 谷歌(微", "然》（Nature）上。（编译/林靖东）"),
}  # fmt: skip

# Where the manifest has no source ("-"), what the page does show: 来源：EETOP on guancha,
# the 头条号 account on toutiao, and the site's own name on mingridapan.
SOURCES_NOT_IN_MANIFEST = {
    "guancha/guancha-article-with-yesterday-sidebar-2019-09-07.html": "EETOP",
    "toutiao/toutiao-menggu-2019-09-08.html": "去驴行",
    "mingridapan/mingridapan-gushi-yuce-2019-09-26.html": "明日大盘网",
}

# Text that belongs to navigation, related links, share bars or footers, never to a body.
NOT_ARTICLE_TEXT = (
    "责任编辑", "(责编", "相关新闻", "分享到", "Copyright", "版权所有", "上一篇", "下一篇",
    "返回", "点击进入", "精彩视频推荐", "免责声明", "未经授权", "我有话说", "字号",
)  # fmt: skip


def manifest_rows() -> list[dict[str, str]]:
    with shared_path("pages", "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _manifest_files(kind: str) -> list[str]:
    # Collected before fixtures: read the file directly when it is there; the tests go
    # through shared_path, which skips (or fails on CI) when the data is absent.
    path = SHARED_DIR / "corpus" / "pages" / "MANIFEST.tsv"
    if not path.exists():
        return [f"{kind}-manifest-missing"]
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["file"] for row in csv.DictReader(handle, delimiter="\t") if row["kind"] == kind]


def manifest_row(file: str) -> dict[str, str]:
    return next(row for row in manifest_rows() if row["file"] == file)


def corpus_response(file: str, url: str = "") -> HtmlResponse:
    """A saved page as Scrapy would have it: stored as UTF-8 whatever its <meta> says."""
    body = shared_path("pages", file).read_bytes()
    return HtmlResponse(url or f"https://corpus.invalid/{file}", body=body, encoding="utf-8")


def manifest_date_string(cell: str) -> str:
    """The date string of a manifest cell: escapes undone, trailing notes dropped."""
    text = cell.replace("\\n", "\n").replace("\\t", "\t")
    return re.sub(r"\s+\([^)]*\)$", "", text)


def manifest_source(cell: str) -> str:
    """The medium of a manifest source cell: ``澎湃新闻网 (link to …)`` -> ``澎湃新闻网``."""
    return re.sub(r"\s+\(.*\)$", "", cell).strip()


@pytest.fixture(scope="module")
def profiles():
    return load_profiles()


# --- every article page of the manifest --------------------------------------------------


def test_every_manifest_article_has_expectations():
    files = {row["file"] for row in manifest_rows() if row["kind"] == "article"}
    assert files == set(ARTICLES)


@pytest.mark.parametrize("file", _manifest_files("article"))
def test_profile_extracts_the_article(file, profiles):
    row = manifest_row(file)
    headline, first, last = ARTICLES[file]
    post = extract_article(corpus_response(file), profiles[row["site"]], crawled_at=CRAWLED_AT)

    assert post.title == headline
    assert row["title"].startswith(headline) or row["title"].endswith(headline)
    expected_source = manifest_source(row["source_media"])
    assert post.source_media == (SOURCES_NOT_IN_MANIFEST[file] if expected_source == "-" else expected_source)
    expected_date = normalize_date(manifest_date_string(row["pubdate_string_as_on_page"]), CRAWLED_AT)
    assert normalize_date(post.date_raw, CRAWLED_AT) == expected_date

    text = html_text(post.body)
    assert text[:20] == first
    assert text[-20:] == last
    assert not [marker for marker in NOT_ARTICLE_TEXT if marker in text]
    assert "<script" not in post.body and "<style" not in post.body
    assert post.extractor == f"profile:{row['site']}"
    assert post.id.startswith(f"{row['site']}-")
    assert post.category and post.tag == f"{post.source_media}新闻"


@pytest.mark.parametrize("file", _manifest_files("article") + _manifest_files("listing"))
def test_page_is_recognised_without_its_url(file, profiles):
    row = manifest_row(file)
    response = corpus_response(file)
    profile = detect_profile(response.selector, profiles.values())
    assert profile is not None and profile.name == row["site"]
    assert page_kind(response, profile) == row["kind"]
    # No other profile's markers match: detection does not hang on profile order.
    marked = [
        other.name for other in profiles.values() if other.markers and matches_any(response.selector, other.markers)
    ]
    assert marked == [row["site"]]


def test_categories_follow_the_archive_slug_rule(profiles):
    post = extract_article(corpus_response("people/people-culture-zhengbanqiao-2019-06-15.html"), profiles["people"])
    assert (post.category, post.tag) == ("renminwangwenhuapindao", "人民网-文化频道新闻")
    post = extract_article(corpus_response("cjn/cjn-changjiangwang-wuhan-2020-10-04.html"), profiles["cjn"])
    assert post.category == "changjiangwang"


def test_sidebar_dates_are_not_taken(profiles):
    # stcn's sidebar splits "2019-09-30</span>07:42"; guancha's says "昨天 22:17" and
    # has a second box "最后更新: 2019-09-07 15:14:21"; shanxi's alt text says 2017.
    cases = {
        "stcn/stcn-wujiangonggao-tianqi-2019-09-26.html": "2019-09-26 12:11",
        "guancha/guancha-article-with-yesterday-sidebar-2019-09-07.html": "2019-09-07 15:10:53",
        "shanxi-gov/shanxi-gov-pinpai-silu-2019-09-18.html": "2019-09-18 06:23",
    }
    for file, date_raw in cases.items():
        assert extract_article(corpus_response(file), profiles[manifest_row(file)["site"]]).date_raw == date_raw


def test_body_links_are_absolute(profiles):
    url = "http://culture.people.com.cn/n1/2019/0615/c1013-31153719.html"
    post = extract_article(
        corpus_response("people/people-culture-zhengbanqiao-2019-06-15.html", url), profiles["people"]
    )
    assert 'src="http://culture.people.com.cn/NMediaFile/2019/0614/' in post.body
    assert post.id == "people-c1013-31153719"


# --- listing pages ------------------------------------------------------------------------


def test_163_rolling_listing_links_with_relative_dates(profiles):
    response = corpus_response("163/163-news-rolling-listing-2020-08-02.html", "https://news.163.com/")
    profile = profiles["163"]
    entries = extract_listing(response, profile)
    assert len(entries) == 29
    articles = [entry for entry in entries if profile.is_article_url(entry.url)]
    assert len(articles) == 27  # the other two are photo galleries (photoview)
    assert entries[0] == ListingEntry(
        "https://news.163.com/20/0802/16/FJ1P0UTC0001899O.html",
        "无缘清华北大的江苏文科第一名 最终申请香港大学",
        "30分钟前",
    )
    crawled_at = datetime(2020, 8, 2, 16, 30, tzinfo=SHANGHAI)
    dates = [normalize_date(entry.date_raw, crawled_at).value for entry in entries]
    assert dates[0] == datetime(2020, 8, 2, 16, 0, tzinfo=SHANGHAI)
    assert dates[-1] == datetime(2020, 8, 1, 17, 30, tzinfo=SHANGHAI)  # 23小时前
    assert sum(1 for entry in entries if entry.date_raw == "1天前") == 1
    assert next_page_url(response, profile) is None


def test_readhub_topic_lists_other_sites_articles(profiles):
    response = corpus_response("readhub/readhub-topic-listing-2019-09-07.html", "https://readhub.cn/topic/7PM49H7yjs5")
    entries = extract_listing(response, profiles["readhub"])
    assert len(entries) == 3
    assert {entry.date_raw for entry in entries} == {"昨天"}
    owners = [profile_for_url(entry.url, profiles.values()) for entry in entries]
    assert [owner.name for owner in owners] == ["ifeng", "sina", "sina"]
    assert all(owner.is_article_url(entry.url) for owner, entry in zip(owners, entries, strict=True))
    crawled_at = datetime(2019, 9, 8, 10, 0, tzinfo=SHANGHAI)
    assert normalize_date(entries[0].date_raw, crawled_at).value == datetime(2019, 9, 7, tzinfo=SHANGHAI)


# --- profile files and machinery (invented inputs) --------------------------------------------


def test_all_profiles_load_and_cover_the_corpus_sites(profiles):
    sites = {row["site"] for row in manifest_rows() if row["file"].endswith(".html")}
    assert sites <= set(profiles)
    for profile in profiles.values():
        assert profile.path is not None and profile.path.stem == profile.name
        assert profile.markers or profile.domains


def _profile(**overrides) -> dict:
    data = {
        "name": "demo",
        "domains": ["demo.example"],
        "urls": {"article": [r"/news/\d+\.html$"], "listing": [r"/list/$"]},
        "article": {
            "title": {"css": "h1.headline"},
            "date": [{"xpath": "//p[@class='meta']/text()", "regex": r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"}],
            "source": {"css": "p.meta a"},
            "body": {"css": "div.story", "exclude_css": [".share"], "exclude_xpath": [".//p[contains(., '编辑：')]"]},
        },
        "listing": {
            "items": {"css": "ul.news li"},
            "link": {"css": "a::attr(href)"},
            "title": {"css": "a"},
            "date": {"css": "em"},
            "next_page": {"css": "a.next::attr(href)"},
        },
    }
    data.update(overrides)
    return data


DEMO_ARTICLE = """<html><head><title>示例标题_示例网</title></head><body>
<ul class="nav"><li><a href="/">首页</a></li></ul>
<h1 class="headline">示例标题</h1>
<p class="meta">发布于 2021-03-04 05:06 来源：<a href="/m">示例日报</a></p>
<div class="story">
  <p>　　第一段：这是虚构的正文。<img data-src="/img/1.jpg"></p>
  <script>var x = 1;</script><div class="share">分享到微博</div>
  <p style="color:red" onclick="x()">第二段<a href="/news/2.html">链接</a>。</p>
  <p></p><!-- comment -->
  <p>（编辑：某某）</p>
</div></body></html>"""


def test_invented_article_by_profile():
    profile = parse_profile(_profile())
    response = HtmlResponse("https://www.demo.example/news/123.html", body=DEMO_ARTICLE.encode(), encoding="utf-8")
    post = extract_article(response, profile)
    assert (post.id, post.title, post.date_raw, post.source_media) == (
        "demo-123",
        "示例标题",
        "2021-03-04 05:06",
        "示例日报",
    )
    assert html_text(post.body) == "第一段：这是虚构的正文。 第二段链接。"
    assert '<img src="https://www.demo.example/img/1.jpg">' in post.body
    assert '<a href="https://www.demo.example/news/2.html">' in post.body
    assert "style=" not in post.body and "onclick" not in post.body and "<!--" not in post.body
    assert page_kind(response, profile) == "article"


def test_invented_listing_by_profile():
    profile = parse_profile(_profile())
    page = """<ul class="news"><li><a href="/news/1.html">一</a><em>2021-03-04</em></li>
    <li><a href="javascript:void(0)">坏</a></li><li><a href="/news/1.html">重复</a></li>
    <li><a href="https://other.example/x">二</a><em>昨天</em></li></ul><a class="next" href="/list/?p=2">下一页</a>"""
    response = HtmlResponse("https://www.demo.example/list/", body=page.encode(), encoding="utf-8")
    assert extract_listing(response, profile) == [
        ListingEntry("https://www.demo.example/news/1.html", "一", "2021-03-04"),
        ListingEntry("https://other.example/x", "二", "昨天"),
    ]
    assert next_page_url(response, profile) == "https://www.demo.example/list/?p=2"
    assert page_kind(response, profile) == "listing"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "Not A Slug"}, "lowercase slug"),
        ({"domains": []}, "domains"),
        ({"article": {"title": {"css": "h1", "xpath": "//h1"}}}, "exactly one"),
        ({"article": {"title": {"css": "h1", "regex": "("}}}, "bad regex"),
        ({"article": {"body": {"css": "div"}}}, "needs a title"),
        ({"article": {"headline": {"css": "h1"}}}, "unknown keys"),
        ({"listing": {"items": {"css": "li"}}}, "'items' and 'link'"),
        ({"colour": "red"}, "unknown keys"),
    ],
)
def test_bad_profiles_are_refused(change, message):
    with pytest.raises(ProfileError, match=re.escape(message)):
        parse_profile(_profile(**change), "demo.toml")


def test_detection_by_url_self_url_and_marker(profiles):
    empty = HtmlResponse("https://x.invalid/", body=b"<html></html>", encoding="utf-8").selector
    assert detect_profile(empty, profiles.values(), "https://finance.sina.com.cn/roll/x.shtml").name == "sina"
    assert detect_profile(empty, profiles.values(), "https://unknown.example/") is None
    own_url = b'<html><head><link rel="canonical" href="http://www.cjddsb.com/ym/xhy/1.html"></head></html>'
    page = HtmlResponse("file:///tmp/saved.html", body=own_url, encoding="utf-8").selector
    assert detect_profile(page, profiles.values()).name == "cjddsb"


@pytest.mark.parametrize(
    ("url", "prefix", "expected"),
    [
        ("https://news.163.com/19/0907/13/EOFE3A4N00258105.html", "163", "163-EOFE3A4N00258105"),
        ("https://www.toutiao.com/a6734139882538533383/", "toutiao", "toutiao-a6734139882538533383"),
        ("https://news.ifeng.com/c/7rtKNyg6PU9", "ifeng", "ifeng-7rtKNyg6PU9"),
        ("http://example.com/detail.php?id=42&p=1", "ex", "ex-detail-42-1"),
        ("http://example.com/content.html?id=7", "", "content-7"),
    ],
)
def test_post_ids(url, prefix, expected):
    assert post_id_from_url(url, prefix) == expected


def test_post_id_falls_back_to_a_hash_of_the_url():
    got = post_id_from_url("http://example.com/新闻/一.html", "x")
    assert re.fullmatch(r"x-[0-9a-f]{12}", got)
    assert got == post_id_from_url("http://example.com/新闻/一.html", "x")


def test_site_label():
    assert site_label("https://news.ifeng.com/c/1") == "ifeng"
    assert site_label("http://www.shanxi.gov.cn/a") == "shanxi"
    assert site_label("https://finance.sina.com.cn/") == "sina"


def test_clean_node_keeps_tails_of_removed_nodes():
    response = HtmlResponse(
        "https://a.example/", body="<div id='c'>前<span class='x'>去</span>后</div>".encode(), encoding="utf-8"
    )
    node = response.css("#c")[0].root
    assert clean_node(node, (Selection("css", ".x"),)) == "前后"
