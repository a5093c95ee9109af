//! Word lists and templates the generator draws from: places, bureaus and their units, project
//! topics with the indicators that measure them, value forms and the wordings of planted mistakes.
//!
//! Written for the generator after the published tables in `examples/` and `shared/samples`
//! (department-list layout, both indicator dialects); names are made up in the same style, not
//! copied row by row. Every clean indicator here is chosen so that no rule fires on it: rates are
//! percentages, counts are floors in a counting unit, costs are ceilings or standards per unit,
//! satisfaction sits between 80% and 95%, and no two names of one topic contain each other.

/// Cities with their districts or counties.
pub const PLACES: &[(&str, &[&str])] = &[
    (
        "广州市",
        &["越秀区", "花都区", "番禺区", "白云区", "从化区", "增城区"],
    ),
    (
        "乐山市",
        &["市中区", "五通桥区", "沐川县", "马边彝族自治县"],
    ),
    ("湘潭市", &["雨湖区", "岳塘区", "湘潭县", "韶山市"]),
    (
        "广元市",
        &["利州区", "昭化区", "朝天区", "旺苍县", "青川县"],
    ),
    ("益阳市", &["资阳区", "赫山区", "南县", "桃江县", "安化县"]),
    ("遂宁市", &["船山区", "安居区", "大英县", "射洪市"]),
    ("临沧市", &["临翔区", "永德县", "镇康县", "沧源佤族自治县"]),
    (
        "安顺市",
        &["西秀区", "平坝区", "普定县", "镇宁布依族苗族自治县"],
    ),
];

/// Titles of the table (the year is prepended).
pub const TITLES: &[&str] = &[
    "项目支出绩效目标表（含转移支付项目）",
    "部门项目支出绩效目标表",
    "项目支出绩效目标表",
];

/// Towns and streets, for projects split by place (`赤坭镇居民医保扩面工作经费`).
pub const TOWNS: &[&str] = &[
    "新华街",
    "秀全街",
    "新雅街",
    "花城街",
    "赤坭镇",
    "狮岭镇",
    "梯面镇",
    "花山镇",
    "花东镇",
    "炭步镇",
    "北兴镇",
    "城关镇",
    "河西街道",
    "龙潭乡",
    "青龙镇",
    "永兴镇",
    "太平镇",
    "东城街道",
];

/// An indicator template: a name with `{t}` for the topic word, and how its value is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Ind {
    pub name: &'static str,
    pub value: ValueForm,
}

/// How a clean value is drawn.
#[derive(Debug, Clone, Copy)]
pub enum ValueForm {
    /// A count with a floor in `unit`, between `lo` and `hi`.
    Count {
        unit: &'static str,
        lo: u32,
        hi: u32,
    },
    /// A percentage floor between `lo` and `hi`.
    Rate { lo: u32, hi: u32 },
    /// A deadline (`11月30日前完成`).
    Deadline,
    /// A yes/no outcome (`是`, `否`), accepted under 效益.
    YesNo { answer: &'static str },
    /// A cost ceiling or standard in 元 per `per`, between `lo` and `hi`.
    Cost { per: &'static str, lo: u32, hi: u32 },
}

/// A kind of project: what it is called, what it does and how it is measured.
#[derive(Debug, Clone, Copy)]
pub struct Topic {
    /// The core of the project name (`劳动保障监察`).
    pub core: &'static str,
    /// The work, for goals (`开展劳动保障监察执法检查`).
    pub action: &'static str,
    /// What it is for, for goals (`维护劳动者合法权益`).
    pub purpose: &'static str,
    /// Who it serves, for the satisfaction indicator (`用人单位`).
    pub recipient: &'static str,
    /// 产出/数量 indicators (counts).
    pub counts: &'static [Ind],
    /// 产出/质量 and 时效 indicators (rates, deadlines).
    pub qualities: &'static [Ind],
    /// 效益 indicators.
    pub effects: &'static [Ind],
    /// 成本 indicators.
    pub costs: &'static [Ind],
}

const fn count(name: &'static str, unit: &'static str, lo: u32, hi: u32) -> Ind {
    Ind {
        name,
        value: ValueForm::Count { unit, lo, hi },
    }
}

const fn rate(name: &'static str, lo: u32, hi: u32) -> Ind {
    Ind {
        name,
        value: ValueForm::Rate { lo, hi },
    }
}

const fn deadline(name: &'static str) -> Ind {
    Ind {
        name,
        value: ValueForm::Deadline,
    }
}

const fn yes(name: &'static str) -> Ind {
    Ind {
        name,
        value: ValueForm::YesNo { answer: "是" },
    }
}

const fn no(name: &'static str) -> Ind {
    Ind {
        name,
        value: ValueForm::YesNo { answer: "否" },
    }
}

const fn cost(name: &'static str, per: &'static str, lo: u32, hi: u32) -> Ind {
    Ind {
        name,
        value: ValueForm::Cost { per, lo, hi },
    }
}

/// A bureau with its own units and topics.
#[derive(Debug, Clone, Copy)]
pub struct Bureau {
    pub name: &'static str,
    /// Units under the bureau besides its 本级.
    pub units: &'static [&'static str],
    pub topics: &'static [Topic],
}

pub const BUREAUS: &[Bureau] = &[
    Bureau {
        name: "人力资源和社会保障局",
        units: &[
            "劳动就业服务管理中心",
            "社会保险基金管理中心",
            "技工学校",
            "退休职工管理委员会办公室",
            "劳动人事争议仲裁院",
        ],
        topics: &[
            Topic {
                core: "劳动保障监察",
                action: "开展劳动保障监察执法检查",
                purpose: "维护劳动者合法权益",
                recipient: "投诉人",
                counts: &[
                    count("执法检查次数", "次", 8, 60),
                    count("检查用人单位户数", "户", 50, 600),
                ],
                qualities: &[
                    rate("投诉举报案件结案率", 90, 98),
                    deadline("专项检查完成时间"),
                ],
                effects: &[
                    rate("欠薪案件动态清零率", 85, 98),
                    yes("劳动关系是否保持和谐稳定"),
                ],
                costs: &[cost("单次执法检查成本", "次", 300, 2000)],
            },
            Topic {
                core: "职业技能培训",
                action: "组织城乡劳动力参加职业技能培训",
                purpose: "提高劳动者就业创业能力",
                recipient: "参训学员",
                counts: &[
                    count("培训人数", "人", 150, 1500),
                    count("开班期数", "期", 4, 30),
                ],
                qualities: &[rate("培训合格率", 85, 96), rate("证书获取比例", 70, 90)],
                effects: &[rate("培训后就业率", 60, 85), rate("技能人才增长率", 5, 20)],
                costs: &[cost("人均培训成本", "人", 800, 3000)],
            },
            Topic {
                core: "就业补助",
                action: "发放社会保险补贴和岗位补贴",
                purpose: "促进困难群体就业",
                recipient: "补贴对象",
                counts: &[
                    count("补贴发放人数", "人", 100, 5000),
                    count("吸纳就业企业家数", "家", 10, 200),
                ],
                qualities: &[rate("补贴发放准确率", 95, 99), deadline("补贴发放时间")],
                effects: &[
                    rate("城镇登记失业率控制比例", 80, 95),
                    yes("困难群体就业是否得到保障"),
                ],
                costs: &[cost("岗位补贴标准", "人.月", 300, 2000)],
            },
            Topic {
                core: "人才引进",
                action: "落实高层次人才认定和引进政策",
                purpose: "加快建设人才强区",
                recipient: "引进人才",
                counts: &[
                    count("认定高层次人才数量", "人", 10, 120),
                    count("举办招聘活动场次", "场", 3, 30),
                ],
                qualities: &[rate("奖励发放准确率", 95, 99), deadline("认定评审完成时间")],
                effects: &[
                    rate("引进人才留存率", 80, 95),
                    yes("人才发展环境是否得到优化"),
                ],
                costs: &[cost("人才认定评审费用标准", "人", 200, 1500)],
            },
            Topic {
                core: "劳动人事争议仲裁",
                action: "受理和调解劳动人事争议案件",
                purpose: "维护全区劳动关系和谐稳定",
                recipient: "争议当事人",
                counts: &[
                    count("受理仲裁案件数量", "件", 200, 3000),
                    count("仲裁员业务培训场次", "场", 2, 12),
                ],
                qualities: &[rate("法定审限内结案率", 92, 99), rate("调解成功率", 60, 80)],
                effects: &[
                    rate("仲裁裁决履行比例", 80, 95),
                    yes("劳动人事争议是否依法及时处理"),
                ],
                costs: &[cost("案均办案成本", "件", 200, 1200)],
            },
            Topic {
                core: "退休人员社会化管理服务",
                action: "开展退休人员走访慰问和文体活动",
                purpose: "体现党和政府对退休人员的关怀",
                recipient: "退休人员",
                counts: &[
                    count("走访慰问人次", "人次", 300, 6000),
                    count("举办文体活动次数", "次", 4, 40),
                ],
                qualities: &[
                    rate("慰问金发放准确率", 96, 99),
                    deadline("节日慰问完成时间"),
                ],
                effects: &[
                    rate("退休人员社会化管理覆盖率", 90, 99),
                    yes("退休人员生活是否得到保障"),
                ],
                costs: &[cost("人均慰问标准", "人", 200, 800)],
            },
        ],
    },
    Bureau {
        name: "民政局",
        units: &["社会福利院", "救助管理站", "殡葬管理所", "婚姻登记处"],
        topics: &[
            Topic {
                core: "城乡低保",
                action: "按月发放城乡最低生活保障金",
                purpose: "保障困难群众基本生活",
                recipient: "低保对象",
                counts: &[
                    count("保障低保对象人数", "人", 500, 12000),
                    count("入户核查户数", "户", 100, 3000),
                ],
                qualities: &[rate("低保金发放准确率", 97, 99), deadline("每月发放时间")],
                effects: &[
                    rate("应保尽保比例", 95, 99),
                    yes("困难群众基本生活是否得到保障"),
                ],
                costs: &[cost("城市低保保障标准", "人.月", 600, 1200)],
            },
            Topic {
                core: "特困人员供养",
                action: "落实特困人员集中和分散供养",
                purpose: "兜牢民生保障底线",
                recipient: "特困人员",
                counts: &[
                    count("集中供养人数", "人", 30, 600),
                    count("护理服务人次", "人次", 500, 8000),
                ],
                qualities: &[rate("供养服务达标率", 90, 98), deadline("供养金发放时间")],
                effects: &[
                    rate("失能特困人员集中照护比例", 60, 90),
                    yes("特困人员基本生活是否得到保障"),
                ],
                costs: &[cost("集中供养基本生活标准", "人.月", 900, 2500)],
            },
            Topic {
                core: "养老服务补贴",
                action: "为高龄和失能老年人提供居家养老服务",
                purpose: "提升老年人生活质量",
                recipient: "服务老人",
                counts: &[
                    count("居家养老服务人数", "人", 200, 5000),
                    count("建设长者饭堂个数", "个", 3, 40),
                ],
                qualities: &[
                    rate("服务质量抽查合格率", 90, 98),
                    rate("护理计划执行比例", 85, 97),
                ],
                effects: &[
                    rate("社区养老服务覆盖率", 70, 95),
                    yes("老年人生活是否得到照护"),
                ],
                costs: &[cost("人均居家养老服务补贴标准", "人.月", 100, 600)],
            },
            Topic {
                core: "流浪乞讨人员救助",
                action: "开展流浪乞讨人员街面巡查和临时救助",
                purpose: "保障受助人员人身安全",
                recipient: "受助人员",
                counts: &[
                    count("街面巡查次数", "次", 50, 400),
                    count("救助受助人员人次", "人次", 100, 2000),
                ],
                qualities: &[
                    rate("受助人员返乡护送比例", 85, 98),
                    deadline("寻亲公告发布时间"),
                ],
                effects: &[
                    rate("受助人员寻亲成功率", 60, 85),
                    yes("街面流浪乞讨人员是否得到及时救助"),
                ],
                costs: &[cost("人均救助成本", "人次", 300, 1500)],
            },
        ],
    },
    Bureau {
        name: "卫生健康局",
        units: &[
            "疾病预防控制中心",
            "妇幼保健院",
            "卫生健康综合监督执法大队",
            "人民医院",
        ],
        topics: &[
            Topic {
                core: "基本公共卫生服务",
                action: "为辖区居民提供基本公共卫生服务",
                purpose: "提高居民健康水平",
                recipient: "辖区居民",
                counts: &[
                    count("建立居民电子健康档案份数", "份", 5000, 90000),
                    count("老年人健康体检人数", "人", 1000, 20000),
                ],
                qualities: &[
                    rate("高血压患者规范管理率", 60, 80),
                    rate("适龄儿童免疫规划疫苗接种率", 90, 98),
                ],
                effects: &[
                    rate("居民健康素养水平", 20, 35),
                    yes("重大传染病是否得到有效防控"),
                ],
                costs: &[cost("人均基本公共卫生服务经费标准", "人", 80, 100)],
            },
            Topic {
                core: "重大传染病防控",
                action: "开展传染病监测和疫情处置",
                purpose: "保障人民群众身体健康",
                recipient: "辖区群众",
                counts: &[
                    count("开展监测点数量", "个", 5, 60),
                    count("流行病学调查次数", "次", 20, 400),
                ],
                qualities: &[
                    rate("法定传染病报告及时率", 95, 99),
                    deadline("年度监测报告完成时间"),
                ],
                effects: &[
                    rate("传染病疫情规范处置率", 95, 99),
                    no("是否发生传染病暴发流行"),
                ],
                costs: &[cost("单次监测采样成本", "次", 100, 900)],
            },
            Topic {
                core: "妇幼健康服务",
                action: "开展孕产妇和儿童健康管理",
                purpose: "保障母婴安全",
                recipient: "孕产妇",
                counts: &[
                    count("孕产妇健康管理人数", "人", 500, 8000),
                    count("新生儿疾病筛查人数", "人", 500, 8000),
                ],
                qualities: &[
                    rate("孕产妇系统管理率", 90, 98),
                    rate("产前筛查覆盖率", 80, 95),
                ],
                effects: &[rate("住院分娩比例", 97, 99), yes("母婴安全是否得到保障")],
                costs: &[cost("新生儿筛查单价", "例", 50, 300)],
            },
            Topic {
                core: "卫生监督执法",
                action: "开展医疗机构和公共场所卫生监督检查",
                purpose: "规范医疗卫生服务秩序",
                recipient: "被监督单位",
                counts: &[
                    count("监督检查户次", "户次", 300, 4000),
                    count("抽检公共场所数量", "家", 50, 800),
                ],
                qualities: &[rate("监督覆盖率", 90, 99), deadline("专项整治完成时间")],
                effects: &[
                    rate("公共场所卫生合格比例", 85, 97),
                    yes("医疗卫生服务秩序是否得到规范"),
                ],
                costs: &[cost("单户次检查成本", "户次", 100, 600)],
            },
        ],
    },
    Bureau {
        name: "教育局",
        units: &[
            "第一中学",
            "实验小学",
            "职业技术学校",
            "教师发展中心",
            "特殊教育学校",
        ],
        topics: &[
            Topic {
                core: "学生资助",
                action: "落实家庭经济困难学生资助政策",
                purpose: "保障困难学生顺利完成学业",
                recipient: "受助学生",
                counts: &[
                    count("资助学生人次", "人次", 100, 6000),
                    count("资助政策宣传场次", "场", 3, 40),
                ],
                qualities: &[
                    rate("资助对象认定准确率", 96, 99),
                    deadline("助学金发放时间"),
                ],
                effects: &[rate("受助学生巩固率", 95, 99), no("困难学生是否因贫失学")],
                costs: &[cost("国家助学金资助标准", "生.年", 1000, 3000)],
            },
            Topic {
                core: "校舍维修改造",
                action: "实施中小学校舍维修改造",
                purpose: "改善学校办学条件",
                recipient: "师生",
                counts: &[
                    count("维修改造学校数量", "所", 2, 30),
                    count("改造校舍面积", "平方米", 500, 20000),
                ],
                qualities: &[rate("工程验收合格率", 95, 99), deadline("工程竣工时间")],
                effects: &[rate("校舍安全达标比例", 90, 99), no("是否发生校舍安全事故")],
                costs: &[cost("每平方米改造成本", "平方米", 300, 2000)],
            },
            Topic {
                core: "教师培训",
                action: "组织中小学教师全员培训",
                purpose: "提升教师专业素质",
                recipient: "参训教师",
                counts: &[
                    count("参训教师人次", "人次", 200, 6000),
                    count("举办培训班期数", "期", 3, 40),
                ],
                qualities: &[rate("培训考核通过率", 90, 98), rate("学时完成比例", 90, 99)],
                effects: &[
                    rate("骨干教师占比", 15, 35),
                    yes("教师队伍素质是否得到提升"),
                ],
                costs: &[cost("人均培训费用标准", "人.天", 150, 550)],
            },
            Topic {
                core: "课后服务",
                action: "开展义务教育阶段课后服务",
                purpose: "减轻学生课外负担",
                recipient: "学生家长",
                counts: &[
                    count("参与课后服务学生人数", "人", 500, 20000),
                    count("开设兴趣课程门数", "门", 5, 80),
                ],
                qualities: &[
                    rate("学校课后服务覆盖率", 90, 99),
                    deadline("课后服务方案制定时间"),
                ],
                effects: &[
                    rate("学生参与比例", 70, 95),
                    yes("家长接送难问题是否得到缓解"),
                ],
                costs: &[cost("生均课后服务补助标准", "生.学期", 100, 600)],
            },
        ],
    },
    Bureau {
        name: "城市管理和综合执法局",
        units: &[
            "环境卫生管理所",
            "市政设施维护中心",
            "城市管理综合执法大队",
            "园林绿化所",
        ],
        topics: &[
            Topic {
                core: "道路清扫保洁",
                action: "开展城区主次干道清扫保洁",
                purpose: "营造整洁有序的市容环境",
                recipient: "市民",
                counts: &[
                    count("清扫保洁面积", "万平方米", 50, 600),
                    count("配置保洁人员人数", "人", 50, 800),
                ],
                qualities: &[
                    rate("道路保洁质量达标率", 90, 98),
                    rate("垃圾日产日清比例", 95, 99),
                ],
                effects: &[
                    rate("城市容貌考核达标比例", 85, 97),
                    yes("市容环境卫生是否保持整洁"),
                ],
                costs: &[cost("每平方米年保洁单价", "平方米", 5, 30)],
            },
            Topic {
                core: "市政设施维护",
                action: "对市政道路桥梁和排水设施进行日常养护",
                purpose: "保障市政设施安全运行",
                recipient: "沿线居民",
                counts: &[
                    count("养护道路里程", "公里", 20, 300),
                    count("疏通排水管网长度", "公里", 10, 200),
                ],
                qualities: &[rate("设施完好率", 90, 98), deadline("汛前排查完成时间")],
                effects: &[
                    rate("内涝点整治完成比例", 80, 97),
                    yes("市政设施是否安全运行"),
                ],
                costs: &[cost("每公里道路养护成本", "公里", 5000, 40000)],
            },
            Topic {
                core: "生活垃圾分类",
                action: "推进生活垃圾分类投放收运",
                purpose: "提高生活垃圾减量化资源化水平",
                recipient: "社区居民",
                counts: &[
                    count("设置分类投放点个数", "个", 50, 1500),
                    count("开展分类宣传活动次数", "次", 10, 200),
                ],
                qualities: &[
                    rate("分类收运覆盖率", 85, 98),
                    deadline("分类设施配置完成时间"),
                ],
                effects: &[
                    rate("生活垃圾回收利用率", 30, 45),
                    yes("生活垃圾是否实现无害化处理"),
                ],
                costs: &[cost("每吨垃圾收运处理成本", "吨", 100, 400)],
            },
        ],
    },
];

/// How goals open.
pub const GOAL_OPENINGS: &[&str] = &["通过", "围绕", "按照年度工作计划，", "根据文件精神，"];

/// How goals close, after the promise.
pub const GOAL_CLOSINGS: &[&str] = &[
    "确保项目按期保质完成",
    "切实发挥财政资金使用效益",
    "推动相关工作规范有序开展",
    "",
];

/// Project name suffixes.
pub const PROJECT_SUFFIXES: &[&str] = &[
    "经费",
    "专项经费",
    "工作经费",
    "项目",
    "专项资金",
    "补助资金",
];

/// Deadlines for 时效 indicators.
pub const DEADLINES: &[&str] = &[
    "11月30日前完成",
    "12月31日前完成",
    "6月30日前完成",
    "每月25日前",
    "每季度末前完成",
    "春节、中秋节前",
];

/// Boilerplate goals, with `{p}` for the place; copied across projects of one department.
pub const BOILERPLATE_GOALS: &[&str] = &[
    "通过提供工作经费保障，加强对{p}各基层单位的财政投入力度，确保按质按量完成上级下达的工作任务，确保相关制度可持续运行。",
    "根据文件要求，按时间、按质量、按数量完成上级部门下达的任务，保障{p}各项工作正常开展。",
    "为更好地保障{p}各项业务正常运转，提高服务质量和效率，助力事业持续健康发展。",
    "落实上级工作部署，保障{p}相关工作顺利开展，提升公共服务水平，满足群众需求。",
];

/// Connecting words that make a boilerplate goal specific to its group.
pub const BOILERPLATE_TOPICS: &[&str] = &[
    "基层服务",
    "业务运转",
    "日常管理",
    "专项工作",
    "公共服务",
    "宣传推广",
    "信息化建设",
    "设施运行",
];

/// Effects that restate their own name when given as the value (V006).
pub const TAUTOLOGIES: &[&str] = &[
    "为{p}提供人才智力支持",
    "保障{r}基本生活需求",
    "推动{t}工作规范开展",
    "为{r}提供优质便捷服务",
    "保障{t}工作正常运转",
];

/// Vague targets for outputs (V002).
pub const VAGUE_VALUES: &[&str] = &[
    "较上年有所提高",
    "明显提升",
    "逐步完善",
    "进一步加强",
    "按时发放",
    "年度控制数",
];

/// Indicators that measure money moved rather than work done (C001).
pub const INPUT_INDICATORS: &[&str] = &[
    "资金拨付及时率",
    "资金到位率",
    "预算执行率",
    "资金下达及时率",
    "项目资金支付到位率",
    "资金使用率",
    "按规定及时拨付率",
    "发放资金完成率",
];

/// Cost indicators that only restate the budget (C002); the value is the project's total.
pub const BUDGET_COSTS: &[&str] = &[
    "项目成本控制",
    "年度经费支出控制额",
    "项目预算控制金额",
    "成本控制在批复资金内",
];

/// Negative effects that should be few; a floor on them is suspicious (V005).
pub const NEGATIVE_EFFECTS: &[(&str, &str)] = &[
    ("群众投诉次数", "次"),
    ("安全责任事故发生次数", "次"),
    ("工作差错次数", "次"),
    ("费用超支率", "%"),
];

/// Satisfaction indicator names placed under the wrong 一级 (I007), with `{r}` for the recipient.
pub const MISPLACED_SATISFACTION: &[&str] = &["社会公众满意度", "群众满意率", "社会满意程度"];

/// Template hints left in a name (V009), after `指标名称(≥**%)` in sample 44 and the `(必填)` of
/// blank forms; `{u}` is the indicator's unit.
pub const NAME_HINTS: &[&str] = &["(≥**%)", "（≥**%）", "(必填)", "（必填）"];

/// Count hints left in a name (V009), after `受益建档立卡贫困人口数≥**人` (sample 44).
pub const COUNT_HINTS: &[&str] = &["≥**{u}", "(≥**{u})"];

/// Parts of one whole a goal may give shares of after `其中` (V011).
pub const SHARE_PARTS: &[&[&str]] = &[
    &["城区", "乡镇", "农村"],
    &["中央资金", "省级资金", "县级资金"],
    &["新增对象", "续保对象"],
    &["一类对象", "二类对象", "三类对象"],
    &["男性", "女性"],
];

/// Rates with no bearing on time, filed under 时效 (I008).
pub const UNTIMELY_RATES: &[&str] = &[
    "档案资料完整率",
    "服务规范达标率",
    "设备完好率",
    "资料归档齐全率",
    "台账记录准确率",
];

/// Work a per-unit cost can price (C003): the quantity's name, its unit, its range, and the
/// per-unit cost's name (after sample 46: `硬化水泥砼公路补助标准 ≤120万元`, 2km + 2km).
pub const PRICED_WORKS: &[(&str, &str, u32, u32, &str)] = &[
    ("新建硬化村组道路", "公里", 2, 15, "道路硬化补助标准"),
    ("维修改造业务用房面积", "平方米", 200, 3000, "维修改造单价"),
    ("土地平整面积", "亩", 50, 800, "每亩平整补助标准"),
];
