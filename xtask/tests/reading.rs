//! The reading of real tables holds its level: every shared sample yields at least the indicators
//! it yields today, read right against the hand labels in `tests/reading/`; every variation is read
//! right; no indicator is invented from a file without indicator rows; every label string is in
//! its source. Fails (never skips) when `../shared` is missing: CI has it.

use std::path::PathBuf;

use xtask::reading::{self, Totals};

/// Indicators read right per sample, as `cargo xtask reading-eval` measured when this was last
/// raised. Raise a floor when the reading gets better; lower one only with a reason in the commit.
const FLOORS: &[(&str, usize)] = &[
    ("samples/03_leshan_jingyan_mata_2023.txt", 13),
    ("samples/07_xiangtan_huanwei_2023.txt", 7),
    ("samples/17_guangyuan_zhaohua_weijian_2021.txt", 9),
    ("samples/19_yiyang_nanxian_jikong_2025.txt", 3),
    ("samples/21_suining_daying_sifaju_2023.txt", 2),
    ("samples/33_lincang_yongde_minglangzhongxue_2022.txt", 9),
    ("samples/43_bayannaoer_linhe_jiuyebuzhu_2022.txt", 2),
    ("samples/44_hengyang_nanyue_luyoufupin_2018.txt", 16),
    ("samples/46_yulin_qingjian_jiaotong_2021.txt", 5),
    ("samples/48_luan_huoshan_xiafuqiao_2023.txt", 9),
    ("samples/49_bingtuan_alaer_liutuan_2021.txt", 3),
    ("samples/50_quanzhou_anxi_shuili_2022.txt", 1),
    ("samples/51_chongqing_zhongxian_shengzhu_2022.txt", 2),
    ("samples/53_handan_kunnanqunzhong_2019.txt", 3),
    ("samples/54_changsha_ningxiang_batang_2021.txt", 8),
    ("samples/55_nanchong_langzhong_jiaotong_2021.txt", 7),
    ("samples/56_xiangyang_zhongxinyiyuan_2021.txt", 6),
    ("samples/57_bazhong_nanjiang_linye_2024.txt", 0),
    ("samples/58_bozhou_qixiangju_2023.txt", 2),
    ("samples/59_central_guojialinyeju_sample.txt", 12),
    ("samples/60_kezhou_wuqia_shuili_2021.txt", 0),
    ("samples/61_baoji_chencang_shuili_2020.txt", 5),
    ("samples/62_hengyang_hengshan_liangshi_2020.txt", 16),
    ("samples/63_xuancheng_nongyenongcun_2023.txt", 0),
    ("samples/64_guyuan_yuanzhou_nongjizhongxin_2022.txt", 9),
    ("samples/65_luan_shucheng_yigongdaizhen_2023.txt", 10),
    ("samples/68_suining_daying_yibaoju_2023.txt", 7),
    ("samples/71_hubei_changjiangjinbu_yuyebutie_2020.txt", 3),
    (
        "samples/72_xiaogan_hubeigongchengxueyuan_xueshengzizhu.txt",
        10,
    ),
    ("samples/73_suining_daying_tieluyanxian_2023.txt", 8),
    ("samples/74_suining_daying_gongzixing_fragment.txt", 4),
    ("samples/75_unidentified_zhengti_pingfen_2017.txt", 0),
    ("samples/76_dazhou_nongyenongcun_pingfenbiao.txt", 0),
    ("samples/77_huangshi_wenwuju_shenyi_jiankong_2019.txt", 2),
    (
        "samples/79_hubei_kaifangdaxue_zhuanxiangpingjia_2022.txt",
        0,
    ),
    ("samples/80_shaoguan_lechang_zhongzhizizhu_2018.txt", 2),
];

fn dirs() -> (PathBuf, PathBuf) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = root.join("../shared");
    assert!(
        shared.join("samples").is_dir() && shared.join("variations").is_dir(),
        "{} is missing: the reading eval needs ../shared beside the repository",
        shared.display()
    );
    (root.join("tests/reading"), shared)
}

#[test]
fn label_strings_are_in_their_sources() {
    let (labels, shared) = dirs();
    let labels = reading::labels(&labels).unwrap();
    assert!(labels.len() >= 70, "only {} label files", labels.len());
    let misses = reading::check_labels(&labels, &shared).unwrap();
    assert!(misses.is_empty(), "{misses:#?}");
}

#[test]
fn reading_holds_its_level() {
    let (labels, shared) = dirs();
    let labels = reading::labels(&labels).unwrap();
    let scores = reading::evaluate(&labels, &shared).unwrap();
    let report = reading::report(&scores, true);
    for (file, floor) in FLOORS {
        let score = scores
            .iter()
            .find(|s| s.file == *file)
            .unwrap_or_else(|| panic!("no label for {file}"));
        assert!(
            score.right >= *floor,
            "{file}: {} right, floor {floor}\n{report}",
            score.right
        );
    }
    let variations: Vec<_> = scores
        .iter()
        .filter(|s| s.file.starts_with("variations/"))
        .cloned()
        .collect();
    let totals = Totals::of(&variations);
    assert_eq!(
        totals.right, totals.labelled,
        "every variation read right\n{report}"
    );
    let all = Totals::of(&scores);
    assert_eq!(
        all.invented, 0,
        "indicators invented from a file without any\n{report}"
    );
}
