//! The map's own words in English, Russian and Chinese, and dates written out the way each
//! language writes them. Names from the data (treaties, statuses, places) come from the data;
//! where a name lacks the chosen language the English one stands in.

use crate::treaty::Names;
use serde_json::{Map, Value};

/// The language of a map's labels, title and legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ru,
    Zh,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Zh => "zh",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// A trilingual name in this language, else English.
    pub fn name(self, n: &Names) -> &str {
        match self {
            Lang::En => &n.en,
            Lang::Ru => n.ru.as_deref().unwrap_or(&n.en),
            Lang::Zh => n.zh.as_deref().unwrap_or(&n.en),
        }
    }

    /// A place's name (`name_en`, `name_ru`, `name_zh` properties) in this language, else English.
    pub fn prop_name(self, props: &Map<String, Value>) -> String {
        let key = format!("name_{}", self.code());
        props
            .get(&key)
            .and_then(Value::as_str)
            .or_else(|| props.get("name_en").and_then(Value::as_str))
            .unwrap_or("")
            .to_string()
    }

    /// The map's fixed words.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::En => &EN,
            Lang::Ru => &RU,
            Lang::Zh => &ZH,
        }
    }

    /// A "YYYY-MM-DD" (or "YYYY") date written out; anything else is returned as it is.
    pub fn date(self, iso: &str) -> String {
        let parts: Vec<&str> = iso.split('-').collect();
        let num = |i: usize| parts.get(i).and_then(|p| p.parse::<usize>().ok());
        match (num(0), num(1), num(2)) {
            (Some(y), Some(m), Some(d)) if (1..=12).contains(&m) => match self {
                Lang::En => format!("{d} {} {y}", MONTHS_EN[m - 1]),
                Lang::Ru => format!("{d} {} {y} г.", MONTHS_RU[m - 1]),
                Lang::Zh => format!("{y}年{m}月{d}日"),
            },
            (Some(y), None, None) if parts.len() == 1 => match self {
                Lang::Zh => format!("{y}年"),
                _ => y.to_string(),
            },
            _ => iso.to_string(),
        }
    }

    /// A number of km² with thousands separators in this language's style.
    pub fn km2(self, v: f64) -> String {
        let n = v.round() as i64;
        let digits = n.abs().to_string();
        let sep = match self {
            Lang::Ru => "\u{a0}",
            _ => ",",
        };
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(sep);
            }
            out.push(ch);
        }
        let sign = if n < 0 { "−" } else { "" };
        format!("{sign}{out} {}", self.words().km2)
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// Every fixed word or phrase on the maps.
pub struct Words {
    pub signed: &'static str,
    pub julian: &'static str,
    pub in_force: &'static str,
    pub reading: &'static str,
    pub territory: &'static str,
    pub border: &'static str,
    pub demarcated: &'static str,
    pub described: &'static str,
    pub approximate: &'static str,
    pub scale_true_at: &'static str,
    pub scale_range: &'static str,
    pub km: &'static str,
    pub km2: &'static str,
    pub source: &'static str,
    pub projection: &'static str,
    pub evolution: &'static str,
    pub changed_title: &'static str,
    pub changed_hands: &'static str,
    pub unchanged: &'static str,
    pub no_change: &'static str,
    pub border_before: &'static str,
    pub border_after: &'static str,
    pub named_place: &'static str,
    pub other_place: &'static str,
    pub beyond_map: &'static str,
    pub list_sep: &'static str,
    pub north: &'static str,
    pub east: &'static str,
    pub readings_title: &'static str,
    pub default_reading: &'static str,
    pub differs: &'static str,
    pub same_as_default: &'static str,
    pub border_default: &'static str,
    pub sources: &'static str,
    pub enlarged: &'static str,
}

static EN: Words = Words {
    signed: "signed",
    julian: "Julian",
    in_force: "in force",
    reading: "reading",
    territory: "Territory",
    border: "Border (line type: how sure its course is)",
    demarcated: "demarcated on the ground",
    described: "described in the text",
    approximate: "approximate",
    scale_true_at: "Scale true at",
    scale_range: "over the map",
    km: "km",
    km2: "km²",
    source:
        "Data: treatyline (CC BY 4.0); base: Made with Natural Earth; places: GeoNames (CC BY 4.0)",
    projection: "Lambert conformal conic, standard parallels 45°N and 60°N, central meridian 108°E",
    evolution: "The Russia–Qing border, treaty by treaty",
    changed_title: "What changed hands",
    changed_hands: "Changed hands (colour: new status; stripes: old status)",
    unchanged: "Territory after, pale",
    no_change: "No territory changed status between these two treaties.",
    border_before: "border before",
    border_after: "Border after",
    named_place: "named in the treaty",
    other_place: "other place existing at the time",
    beyond_map: "Named in the treaty, beyond this map",
    list_sep: ", ",
    north: "N",
    east: "E",
    readings_title: "readings compared",
    default_reading: "default reading",
    differs:
        "Where a reading differs from the first panel (colour: this reading; stripes: the first)",
    same_as_default: "same territory as the first panel",
    border_default: "border of the first panel",
    sources: "sources",
    enlarged: "Enlarged to where the panels differ (red box on the inset)",
};

static RU: Words = Words {
    signed: "подписан",
    julian: "по юлианскому календарю",
    in_force: "в силе",
    reading: "толкование",
    territory: "Территория",
    border: "Граница (тип линии: насколько точно известно её прохождение)",
    demarcated: "демаркирована на местности",
    described: "описана в тексте",
    approximate: "приблизительно",
    scale_true_at: "Масштаб верен на",
    scale_range: "в пределах карты",
    km: "км",
    km2: "км²",
    source: "Данные: treatyline (CC BY 4.0); основа: Made with Natural Earth; пункты: GeoNames (CC BY 4.0)",
    projection: "Равноугольная коническая проекция Ламберта, стандартные параллели 45° и 60° с. ш., осевой меридиан 108° в. д.",
    evolution: "Граница России и Цин от договора к договору",
    changed_title: "Что перешло из рук в руки",
    changed_hands: "Перешло (цвет: новый статус; штриховка: прежний)",
    unchanged: "Территория после, бледно",
    no_change: "Ни одна территория не сменила статус между этими договорами.",
    border_before: "граница до",
    border_after: "Граница после",
    named_place: "названо в договоре",
    other_place: "другой пункт, существовавший в то время",
    beyond_map: "Названы в договоре, за пределами карты",
    list_sep: ", ",
    north: "с. ш.",
    east: "в. д.",
    readings_title: "толкования в сравнении",
    default_reading: "толкование по умолчанию",
    differs: "Где толкование расходится с первой панелью (цвет: это толкование; штриховка: первое)",
    same_as_default: "та же территория, что на первой панели",
    border_default: "граница на первой панели",
    sources: "источники",
    enlarged: "Увеличено: район, где панели расходятся (красная рамка на врезке)",
};

static ZH: Words = Words {
    signed: "签订",
    julian: "儒略历",
    in_force: "有效",
    reading: "解读",
    territory: "领土",
    border: "边界（线型表示走向的确定程度）",
    demarcated: "实地勘定",
    described: "条文描述",
    approximate: "大致走向",
    scale_true_at: "比例尺准确于",
    scale_range: "全图范围内",
    km: "公里",
    km2: "平方公里",
    source:
        "数据：treatyline (CC BY 4.0)；底图：Made with Natural Earth；地名：GeoNames (CC BY 4.0)",
    projection: "兰勃特等角圆锥投影，标准纬线北纬45°与60°，中央经线东经108°",
    evolution: "中俄边界的条约沿革",
    changed_title: "领土变更",
    changed_hands: "易主地区（颜色：新归属；条纹：原归属）",
    unchanged: "此后领土（浅色）",
    no_change: "两条约之间没有领土改变归属。",
    border_before: "此前边界",
    border_after: "此后边界",
    named_place: "条约所载地名",
    other_place: "当时已有的其他地点",
    beyond_map: "条约所载、位于本图范围以外",
    list_sep: "、",
    north: "N",
    east: "E",
    readings_title: "不同解读对照",
    default_reading: "默认解读",
    differs: "与第一幅不同之处（颜色：本解读；条纹：第一幅）",
    same_as_default: "领土与第一幅相同",
    border_default: "第一幅的边界",
    sources: "文献",
    enlarged: "放大：各幅不同的地区（插图中红框）",
};
