"""The posts of the demo snapshot ``seeds/demo/``: the demo site and the originals
behind its share links.

Every word here was written for this project: the companies are invented, and so are
the figures. The posts have the shape of the real archive's: media posts ``NW`` + an
18-digit EastMoney-style code (yyyymmdd + 10 digits) with a NewsShare link, rolling-feed
posts (``emnews``) the bare code with a ``finance.eastmoney.com/a/`` link and a digest
(sometimes empty), HTML bodies ending in ``（文章来源：<media>）``.

Deliberate features, named below: a related pair (one article in the feed and in its
media category), a duplicate pair (one article posted twice in one category under two
ids), a body with Liquid-looking text, one broken post file (a blank line before its
front matter) that Jekyll publishes as raw text, and one post whose original article is
missing upstream (every other share link has its answer in the snapshot).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crawler.items import Post
from crawler.slugs import FEED_TAG, category_slug, media_tag
from pipelines.postfile import ARCHIVE_TZ, FEED_CATEGORY

HOST = "demo.finews.invalid"
SITE_URL = f"//{HOST}"  # the nav links of every demo post point into the demo, not the real site
CST = timezone(timedelta(hours=8))
# The "build time" of the snapshot: feed.xml's <updated>, and later than every post
# (Jekyll leaves out posts dated after it).
BUILD_TIME = datetime(2026, 3, 6, 18, 0, 0, tzinfo=CST)

MEDIA = ("上海证券报", "中国证券报", "证券时报", "财联社", "21世纪经济报道")


def media_share_url(post_id: str) -> str:
    return f"http://finews.zning.xyz/html_News/NewsShare.html?infoCode={post_id}"


def feed_share_url(code: str) -> str:
    return f"http://finance.eastmoney.com/a/{code}.html"


def html_body(paragraphs: list[str], media: str) -> str:
    """One line of ``<p>`` paragraphs closed by the media credit, as EastMoney serves them."""
    return "".join(f"<p>{text}</p>" for text in paragraphs) + f'<p class="em_media">（文章来源：{media}）</p>'


def _date(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CST)


def media_post(media: str, code: str, stamp: str, title: str, paragraphs: list[str]) -> Post:
    post_id = f"NW{code}"
    return Post(
        id=post_id,
        title=title,
        date=_date(stamp),
        category=category_slug(media),
        tag=media_tag(media),
        body=html_body(paragraphs, media),
        share_url=media_share_url(post_id),
        source_media=media,
        body_source="demo",
    )


def feed_post(code: str, stamp: str, title: str, digest: str, paragraphs: list[str], media: str) -> Post:
    return Post(
        id=code,
        title=title,
        date=_date(stamp),
        category=FEED_CATEGORY,
        tag=FEED_TAG,
        body=html_body(paragraphs, media),
        digest=digest,
        share_url=feed_share_url(code),
        source_media=media,
        body_source="demo",
    )


def page_path(post: Post) -> str:
    """Where Jekyll publishes a post of the site template: ``<category>/<YYYY>/<MM>/<DD>/<id>.html``."""
    return f"{post.category}/{post.date.astimezone(ARCHIVE_TZ):%Y/%m/%d}/{post.id}.html"


# --- The related pair: one article in the rolling feed and in its media category ------
RELATED_CODE = "202603043628815530"
_RELATED_TITLE = "锦程汽车2月交付新车3.21万辆 同比增长41%"
_RELATED_PARAGRAPHS = [
    "锦程汽车3月4日晚间公告，公司2月共交付新车32108辆，同比增长41.2%，环比下降6.5%。其中纯电车型交付19540辆，插电混动车型交付12568辆。",
    "公司表示，2月受春节假期影响，工作日较1月减少，环比下滑符合季节规律；随着两款改款车型于3月上市，预计一季度总交付量有望超过10万辆。",
    "海外市场方面，锦程汽车2月出口新车4120辆，主要销往东南亚和中东地区。公司位于泰国的组装工厂已进入设备调试阶段，计划于年中投产。",
]

# --- The duplicate pair: one article posted twice in one category, under two ids ------
DUPLICATE_FIRST_CODE = "202603053641207733"
DUPLICATE_SECOND_CODE = "202603053641319026"
_DUPLICATE_TITLE = "远帆物流：控股股东拟增持不低于1亿元公司股份"
_DUPLICATE_PARAGRAPHS = [
    "远帆物流3月5日午间公告，公司控股股东远帆投资计划自公告披露之日起6个月内，通过集中竞价方式增持公司股份，增持金额不低于1亿元、不超过2亿元。",
    "本次增持计划未设定价格区间，远帆投资将根据公司股票价格波动情况及资本市场整体趋势择机实施。远帆投资表示，增持基于对公司长期投资价值的认可。",
    "截至公告日，远帆投资持有公司股份3.86亿股，占公司总股本的42.17%。",
]

# --- Liquid-looking text in a body: published as text, never executed ----------------
LIQUID_CODE = "202603063650102287"
LIQUID_TEXT = "{{ 价格 }}"

# --- The post whose original article is missing upstream ---------------------------
# The snapshot holds the original of every other post (the text API on
# choicewzp1.eastmoney.com, article pages on finance.eastmoney.com); this one's share
# link is a replay miss, so the crawl keeps the mirror's copy.
NO_UPSTREAM_ID = "NW202603033616953387"

# --- The broken post: a blank line before its front matter --------------------------
BROKEN_POST = feed_post(
    "202603063652204418",
    "2026-03-06 13:15:00",
    "午间公告速递：多家公司披露回购进展",
    "",
    [
        "截至3月6日午间，两市共有17家公司披露股份回购进展公告，其中6家公司首次实施回购。",
        "从回购用途看，用于员工持股计划或股权激励的公司占多数，另有3家公司的回购股份将全部予以注销。",
    ],
    "东方财富研究中心",
)


POSTS: list[Post] = [
    # --- 上海证券报 ---------------------------------------------------------------
    media_post(
        "上海证券报", "202603023601128405", "2026-03-02 08:15:22",
        "多家中小银行下调大额存单利率 三年期产品年利率降至1.9%",
        [
            "记者近日走访发现，继1月份一轮调整后，多家城商行、农商行于3月初再次下调大额存单利率，三年期产品年利率普遍降至1.9%左右，部分五年期产品已暂停发售。",
            "业内人士分析，在贷款利率持续下行的背景下，中小银行面临较大的净息差压力，主动压降高成本负债是稳定息差的主要手段。",
            "一位城商行人士表示，大额存单额度近期明显收紧，“过去发售当天就会被抢光，现在部分产品可以挂几天”。",
        ],
    ),
    media_post(
        "上海证券报", "202603033610045219", "2026-03-03 07:40:10",
        "科创债ETF总规模突破百亿元 机构配置热情不减",
        [
            "据记者统计，截至3月2日，市场上已上市的科创债ETF总规模突破100亿元，较年初增长约35%。",
            "多位基金经理表示，科创债ETF兼具信用资质较好、流动性较强的特点，近期吸引了银行理财子公司和保险资金的持续配置。",
        ],
    ),
    media_post(
        "上海证券报", "202603043619330671", "2026-03-04 08:02:55",
        "华澜科技拟定增募资不超过28亿元 加码车规级芯片",
        [
            "华澜科技3月3日晚间披露定增预案，公司拟向不超过35名特定对象发行股票，募集资金总额不超过28亿元。",
            "募集资金将主要用于车规级功率芯片产线建设项目、先进封装研发中心项目以及补充流动资金。其中，车规级功率芯片产线项目总投资约21亿元，达产后预计年产12英寸晶圆24万片。",
            "华澜科技表示，新能源汽车和储能市场对功率器件的需求快速增长，本次募投项目有助于公司完善产品结构、提升核心竞争力。",
        ],
    ),
    media_post(
        "上海证券报", "202603053637218804", "2026-03-05 07:55:31",
        "沪市年报披露进入密集期 已披露公司逾七成净利润同比增长",
        [
            "沪市上市公司2025年年报披露进入密集期。截至3月4日，沪市已有112家公司披露2025年年报，其中79家公司归母净利润同比增长，占比逾七成。",
            "分行业看，电子、电力设备、机械设备等行业的已披露公司业绩增速居前；从分红看，已披露年报的公司中有96家推出现金分红方案，合计拟派现约410亿元。",
        ],
    ),
    media_post(
        "上海证券报", "202603063646001932", "2026-03-06 08:20:00",
        "青禾生物创新药获批上市 公司称将于二季度启动商业化",
        [
            "青禾生物3月5日晚间公告，公司自主研发的1类创新药QH-207片获得上市批准，用于治疗成人中重度特应性皮炎。",
            "公司表示，该药品是公司首个获批上市的创新药，商业化团队已组建完毕，预计二季度在全国主要城市启动销售。",
            "青禾生物2025年前三季度研发投入为4.6亿元，同比增长28%，目前另有3个在研品种处于临床Ⅱ期及以上阶段。",
        ],
    ),
    # --- 中国证券报 ---------------------------------------------------------------
    media_post(
        "中国证券报", "202603023600517748", "2026-03-02 07:30:05",
        "公募基金年内新发规模超两千亿元 权益类产品占比回升",
        [
            "Wind数据显示，截至3月1日，今年以来全市场新成立公募基金186只，合计募集规模约2150亿元。其中，股票型和混合型基金合计募集约980亿元，占比较去年同期明显回升。",
            "多位渠道人士表示，随着市场赚钱效应回暖，投资者申购权益类产品的意愿增强，部分绩优基金经理的新产品出现“日光”现象。",
        ],
    ),
    media_post(
        "中国证券报", "202603033611460253", "2026-03-03 08:10:40",
        "险资加大高股息资产配置 多家险企称将延续稳健策略",
        [
            "记者从多家保险机构了解到，今年以来，险资继续增配银行、公用事业、交通运输等高股息板块，同时适度参与科技成长方向的机会。",
            "一家大型险企资管部门负责人表示，在长端利率处于低位的环境下，高股息资产对于稳定投资收益具有重要作用，“配置思路以稳为主，不追求短期排名”。",
        ],
    ),
    media_post(
        "中国证券报", "202603043620095512", "2026-03-04 07:45:18",
        "多地出台措施支持专精特新企业上市 “辅导—培育—服务”链条加速完善",
        [
            "今年以来，已有多个省市发布支持专精特新企业上市的专项措施，内容涵盖上市后备企业库建设、上市辅导补贴、并购重组支持等方面。",
            "业内人士表示，地方政策正由单一的资金奖励转向全流程服务，有助于提升后备企业的规范化水平，为资本市场输送更多优质科技企业。",
        ],
    ),
    media_post(
        "中国证券报", "202603053638106240", "2026-03-05 08:30:44",
        "东岳新材：锂电隔膜二期项目投产 年产能提升至12亿平方米",
        [
            "东岳新材3月4日晚间公告，公司锂电隔膜二期项目已于近日正式投产，公司隔膜年产能由8亿平方米提升至12亿平方米。",
            "公司表示，二期项目采用新一代湿法工艺，单线产能和良品率均有提升，产品主要供应国内头部动力电池和储能电池企业。",
        ],
    ),
    media_post(
        "中国证券报", LIQUID_CODE, "2026-03-06 07:50:12",
        "明川股份回购公告现未替换模板字段 公司发布更正公告",
        [
            f"明川股份3月5日晚间披露的回购方案公告中，回购价格上限一栏显示为“{LIQUID_TEXT}”元/股，疑似公告模板中的字段未被替换，引发投资者关注。",
            "公司随后发布更正公告称，本次回购价格上限为18.60元/股，回购资金总额不低于5000万元、不超过1亿元，因工作人员疏忽导致原公告出现错误，公司对此深表歉意。",
            "有市场人士表示，信息披露文件出现低级错误虽不影响方案实质内容，但上市公司仍应加强公告审核流程。",
        ],
    ),
    # --- 证券时报 -----------------------------------------------------------------
    media_post(
        "证券时报", "202603023603441187", "2026-03-02 09:35:48",
        "A股三大指数集体高开 算力板块领涨",
        [
            "3月2日，A股三大指数集体高开，沪指开盘涨0.32%，深证成指涨0.45%，创业板指涨0.61%。",
            "盘面上，算力、光模块、液冷服务器等板块涨幅居前，多只个股开盘涨停；煤炭、银行板块小幅调整。",
        ],
    ),
    media_post(
        "证券时报", "202603033614872309", "2026-03-03 15:20:33",
        "两融余额连续五个交易日回升 电子、医药获融资客加仓",
        [
            "数据显示，截至3月2日，沪深两市融资融券余额连续五个交易日回升，期间合计增加约186亿元。",
            "从行业看，电子、医药生物、计算机行业获得融资净买入金额居前，银行、煤炭行业则出现融资净偿还。",
        ],
    ),
    media_post(
        "证券时报", "202603043626550418", "2026-03-04 15:10:27",
        "创业板指收涨2.1% 半导体设备股掀涨停潮",
        [
            "3月4日，A股市场震荡走强，创业板指收涨2.1%，沪指涨0.74%，两市成交额约1.21万亿元。",
            "半导体设备板块全天强势，多只个股涨停。分析人士认为，国产设备厂商订单能见度提升，叠加年报业绩陆续兑现，板块估值修复行情有望延续。",
        ],
    ),
    media_post("证券时报", DUPLICATE_FIRST_CODE, "2026-03-05 11:40:16", _DUPLICATE_TITLE, _DUPLICATE_PARAGRAPHS),
    media_post("证券时报", DUPLICATE_SECOND_CODE, "2026-03-05 12:05:09", _DUPLICATE_TITLE, _DUPLICATE_PARAGRAPHS),
    media_post(
        "证券时报", "202603063655730061", "2026-03-06 15:30:02",
        "周线收官：沪指本周累计上涨1.6% 成交额连续五日超万亿元",
        [
            "本周A股市场整体上行，沪指累计上涨1.6%，深证成指上涨2.3%，创业板指上涨3.2%。两市成交额连续五个交易日超过1万亿元。",
            "行业方面，半导体、通信设备、电力设备本周涨幅居前，煤炭、石油石化表现相对落后。",
        ],
    ),
    # --- 财联社 -------------------------------------------------------------------
    media_post(
        "财联社", "202603023604960035", "2026-03-02 10:12:40",
        "固态电池概念股午前走强 多家公司回应产业化进展",
        [
            "3月2日午前，固态电池概念股走强，板块内多只个股涨幅超过5%。",
            "多家相关公司在投资者互动平台回应称，公司固态电池产品目前处于中试或送样阶段，距离大规模量产仍需一定时间，提醒投资者注意风险。",
        ],
    ),
    media_post(
        "财联社", "202603033613309826", "2026-03-03 13:48:05",
        "国际油价隔夜大涨逾3% 油气开采板块午后异动",
        [
            "受主要产油国减产预期升温影响，国际油价隔夜大涨，布伦特原油期货收涨3.2%。",
            "3月3日午后，A股油气开采板块异动拉升，油服、油气设备个股跟涨。",
        ],
    ),
    media_post("财联社", RELATED_CODE, "2026-03-04 16:25:37", _RELATED_TITLE, _RELATED_PARAGRAPHS),
    media_post(
        "财联社", "202603053643027519", "2026-03-05 14:02:11",
        "储能电芯价格企稳 产业链人士称二季度订单饱满",
        [
            "记者从多家储能电池企业了解到，主流储能电芯价格自去年四季度以来基本企稳，部分规格产品报价出现小幅上调。",
            "一位电池企业销售负责人表示，公司二季度订单已基本排满，海外大型储能项目需求增长明显。",
        ],
    ),
    media_post(
        "财联社", "202603063651408873", "2026-03-06 10:30:19",
        "安澜医疗：子公司获得两项医疗器械注册证",
        [
            "安澜医疗3月6日公告，公司全资子公司近日取得两项第二类医疗器械注册证，产品分别为一次性使用电子内窥镜和内窥镜图像处理器。",
            "公司表示，上述注册证的取得有助于丰富公司产品线，但产品的市场推广存在不确定性，短期内对公司业绩不构成重大影响。",
        ],
    ),
    # --- 21世纪经济报道 -------------------------------------------------------------
    media_post(
        "21世纪经济报道", "202603023608701264", "2026-03-02 18:30:26",
        "跨境理财通扩容满月：南向通产品销售额环比增长",
        [
            "跨境理财通业务优化措施实施满月，多家银行反馈南向通产品销售额较扩容前明显增长，其中货币基金和短债基金最受欢迎。",
            "有银行人士表示，投资者对境外美元资产的配置需求依然存在，但对高风险产品的兴趣相对有限。",
        ],
    ),
    media_post(
        "21世纪经济报道", "202603033616953387", "2026-03-03 19:05:51",
        "县域商业体系建设提速 冷链物流成投资新热点",
        [
            "随着县域商业体系建设持续推进，冷链物流基础设施成为社会资本关注的新方向。多家物流企业今年计划在中西部县域新建产地冷库。",
            "业内人士指出，县域冷链项目普遍存在回报周期长、利用率季节性波动大等问题，需要与农产品上行渠道深度结合。",
        ],
    ),
    media_post(
        "21世纪经济报道", "202603043630264408", "2026-03-04 20:10:08",
        "低空经济产业链调研：整机厂订单排至明年",
        [
            "记者近期走访多家低空经济产业链企业发现，部分电动垂直起降飞行器整机厂的意向订单已排至明年，上游电机、电池和复合材料供应商产能利用率明显提升。",
            "不过，多位受访者也表示，适航审定进度、起降场地建设和空域管理细则仍是影响商业化节奏的关键变量。",
        ],
    ),
    media_post(
        "21世纪经济报道", "202603053644580912", "2026-03-05 19:45:37",
        "消费金融公司加速分化 头部机构发力场景合作",
        [
            "多家消费金融公司近期披露的经营数据显示，行业分化进一步加剧：头部机构贷款余额保持增长，部分中小机构则主动收缩规模。",
            "头部机构正加大与电商、出行、家装等场景方的合作，同时通过降低定价、优化风控来稳定资产质量。",
        ],
    ),
    # --- 东财滚动新闻 (the rolling feed) ---------------------------------------------
    feed_post(
        "202603023602910456", "2026-03-02 09:26:03",
        "早盘集合竞价：沪指高开0.32% 创业板指高开0.61%",
        "3月2日早盘集合竞价，沪指高开0.32%，深证成指高开0.45%，创业板指高开0.61%，算力板块竞价活跃。",
        [
            "3月2日早盘集合竞价，沪指高开0.32%，深证成指高开0.45%，创业板指高开0.61%。",
            "算力、光模块板块竞价活跃，多只个股竞价涨幅超过5%。",
        ],
        "东方财富研究中心",
    ),
    feed_post(
        "202603033612554170", "2026-03-03 11:30:21",
        "午评：三大指数涨跌不一 油气股领涨",
        "",
        [
            "3月3日午间收盘，沪指涨0.18%，深证成指跌0.12%，创业板指跌0.35%。",
            "油气开采、航运港口板块涨幅居前，光伏设备、游戏板块跌幅居前。",
        ],
        "东方财富研究中心",
    ),
    feed_post(
        RELATED_CODE, "2026-03-04 16:25:37", _RELATED_TITLE,
        "锦程汽车2月共交付新车32108辆，同比增长41.2%，预计一季度总交付量有望超过10万辆。",
        _RELATED_PARAGRAPHS, "财联社",
    ),
    feed_post(
        "202603053645003318", "2026-03-05 15:05:44",
        "收评：沪指涨0.8% 两市成交额1.18万亿元",
        "3月5日，沪指收涨0.8%，深证成指涨1.1%，创业板指涨1.4%，两市成交额约1.18万亿元。",
        [
            "3月5日，A股三大指数集体收涨，沪指涨0.8%，深证成指涨1.1%，创业板指涨1.4%，两市成交额约1.18万亿元。",
            "板块方面，半导体、消费电子、储能板块涨幅居前，煤炭、银行板块小幅下跌。全市场超过3500只个股上涨。",
        ],
        "东方财富研究中心",
    ),
    feed_post(
        "202603063649771205", "2026-03-06 09:40:28",
        "锂矿股早盘走弱 碳酸锂期货主力合约跌超4%",
        "",
        [
            "3月6日早盘，锂矿板块走弱，多只个股跌幅超过3%。",
            "消息面上，碳酸锂期货主力合约早盘跌超4%，有机构称近期碳酸锂库存有所累积，价格短期承压。",
        ],
        "东方财富研究中心",
    ),
    feed_post(
        "202603063656218844", "2026-03-06 15:02:50",
        "收评：创业板指周涨3.2% 半导体板块全天强势",
        "3月6日，创业板指收涨0.9%，本周累计上涨3.2%，半导体板块全天强势。",
        [
            "3月6日，沪指收涨0.3%，深证成指涨0.6%，创业板指涨0.9%，本周累计上涨3.2%。",
            "半导体板块全天强势，存储芯片、半导体设备方向领涨；锂矿、煤炭板块表现较弱。",
        ],
        "东方财富研究中心",
    ),
]  # fmt: skip

RELATED_IDS = (RELATED_CODE, f"NW{RELATED_CODE}")  # both kept (DEDUPE_ACROSS_CATEGORIES is off)
DUPLICATE_IDS = (f"NW{DUPLICATE_FIRST_CODE}", f"NW{DUPLICATE_SECOND_CODE}")  # one kept, one recorded as duplicate
LIQUID_POST_ID = f"NW{LIQUID_CODE}"

# What crawling the snapshot should give (see seeds/README.md).
EXPECTED_ARCHIVED = len(POSTS) - 1  # every post but one of the duplicate pair
EXPECTED_DUPLICATES = 1
EXPECTED_DROPPED = 1  # the broken post: no title or date Jekyll could read
EXPECTED_UPSTREAM = len(POSTS) - 1  # share links answered by the original (body_source/upstream)
EXPECTED_REPLAY_MISSES = 1  # the share link of NO_UPSTREAM_ID
