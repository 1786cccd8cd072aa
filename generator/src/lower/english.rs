//! English plurals made singular: the last word of a type name, for the name of one of its
//! elements (`Entries` -> `Entry`).
//!
//! The rules are the `pluralize` package's, as the `pluralizer` crate ports them, for the
//! words [`super::names::singular`] asks about: ASCII letters, four or more, lowercase after
//! an optional capital, ending in `s` but not in `ss`. The crate compiles its 32 regular
//! expressions and a set of them on first use, which cost 40M instructions (15% of generating
//! the Kajabi client; nexus.json asks about two words); here each rule is a test of the word's
//! end. The tests check every word of the corpus's documents, with the endings English gives
//! plurals, against the crate.

/// Plurals with a singular of their own: `pluralize`'s irregular words in the domain, but for
/// those whose singular the rules below give anyway (`humans`, `echoes`, `yourselves`).
const IRREGULAR: &[(&str, &str)] = &[
    ("ourselves", "myself"),
    ("volcanoes", "volcano"),
    ("tornadoes", "tornado"),
    ("torpedoes", "torpedo"),
    ("axes", "axe"),
    ("yeses", "yes"),
    ("eaves", "eave"),
    ("quizzes", "quiz"),
    ("carves", "carve"),
    ("valves", "valve"),
    ("looies", "looey"),
    ("thieves", "thief"),
    ("grooves", "groove"),
    ("pickaxes", "pickaxe"),
    ("canvases", "canvas"),
];

/// Words that stay as they are: irregular singulars ending in `s`, and uncountable nouns (but
/// for those the rules leave as they are anyway, like `viscus`).
const UNCHANGED: &[&str] = &[
    "this",
    "genus",
    "canvas",
    "analytics",
    "athletics",
    "chassis",
    "corps",
    "debris",
    "diabetes",
    "gallows",
    "headquarters",
    "herpes",
    "highjinks",
    "jeans",
    "kudos",
    "mews",
    "news",
    "pliers",
    "premises",
    "scissors",
    "series",
    "shambles",
    "tennis",
];

/// `word` made singular, or `word` itself when it is not a plural. `word` is in the domain the
/// module's documentation gives.
pub(super) fn singular(word: &str) -> String {
    debug_assert!(
        word.len() >= 4
            && word.bytes().all(|b| b.is_ascii_alphabetic())
            && word.bytes().skip(1).all(|b| b.is_ascii_lowercase())
            && word.ends_with('s')
            && !word.ends_with("ss"),
        "{word:?} is outside the domain of these rules"
    );
    let lower = word.to_ascii_lowercase();
    let t = lower.as_str();
    if UNCHANGED.contains(&t) {
        return word.to_owned();
    }
    if let Some((_, one)) = IRREGULAR.iter().find(|(plural, _)| *plural == t) {
        return with_case_of(word, one);
    }
    match rule(t) {
        Some((cut, add)) => format!("{}{add}", &word[..word.len() - cut]),
        None => word.to_owned(),
    }
}

/// The rule the word's end matches, the last of `pluralize`'s list first: how many bytes come
/// off the end and what goes on instead. `None`: no rule changes the word.
fn rule(t: &str) -> Option<(usize, &'static str)> {
    // Uncountable endings (`measles`, `-ois`, `-ous`: `Various`, `Previous`).
    if t.ends_with("measles") || t.ends_with("ois") || t.ends_with("ous") {
        return None;
    }
    if stem_ends(t, "ices", &["matr", "append"]) {
        return Some((4, "ix"));
    }
    if stem_ends(t, "ices", &["cod", "mur", "sil", "vert", "ind"]) {
        return Some((4, "ex"));
    }
    if stem_ends(t, "is", &["test"]) || stem_ends(t, "es", &["test"]) {
        return Some((2, "is"));
    }
    if stem_ends(t, "s", &["movie", "twelve", "abuse", "emu", "enu"]) {
        return Some((1, ""));
    }
    const GREEK: &[&str] = &[
        "analy", "diagno", "parenthe", "progno", "synop", "the", "empha", "cri", "ne",
    ];
    if stem_ends(t, "sis", GREEK) || stem_ends(t, "ses", GREEK) {
        return Some((3, "sis"));
    }
    // `(x|ch|ss|..)(?:es)?$`: `es` comes off after these endings, which stay without it. A
    // word ending in `-us` after anything but `a`, `o` or `u` stays, so `pluralize`'s rule
    // for Latin words in `-us` (`Radius`, `Stimulus`), which leaves them as they are, needs
    // no place of its own.
    match t.strip_suffix("es") {
        Some(stem) if sibilant_end(stem) => return Some((2, "")),
        None if sibilant_end(t) => return None,
        _ => {}
    }
    if t == "monies" || t == "smilies" {
        return Some((3, "ey"));
    }
    if t.strip_suffix("ies")
        .is_some_and(|stem| WHOLE_IE.contains(&stem))
        || stem_ends(t, "ies", IE)
    {
        return Some((1, ""));
    }
    if t.ends_with("ies") {
        return Some((3, "y"));
    }
    if stem_ends(t, "ves", &["ar", "wol", "al", "el", "ea", "eo", "oa", "oo"]) {
        return Some((3, "f"));
    }
    if t.strip_suffix("ves").is_some_and(|stem| {
        stem == "li"
            || ends_any(stem, &["wi", "kni"])
            || stem.strip_suffix("li").is_some_and(|before| {
                ends_any(
                    before,
                    &["after", "half", "high", "low", "mid", "non", "night"],
                )
            })
    }) {
        return Some((3, "fe"));
    }
    Some((1, ""))
}

/// Whole words whose singular ends in `-ie` (`\b(..)ies$`).
const WHOLE_IE: &[&str] = &[
    "l", "t", "neckt", "crosst", "hogt", "aunt", "coll", "faer", "food", "gen", "goon", "group",
    "hipp", "junk", "vegg", "p", "porkp", "charl", "calor", "cut",
];

/// Endings before `-ies` whose singular ends in `-ie` (`Cookies`, `Zombies`; `Entries` is not
/// one).
const IE: &[&str] = &[
    "dg", "ss", "ois", "lk", "ok", "wn", "mb", "th", "ch", "ec", "oal", "is", "ck", "ix", "sser",
    "ts", "wb",
];

/// Whether `t` ends with `tail` after one of `stems`.
fn stem_ends(t: &str, tail: &str, stems: &[&str]) -> bool {
    t.strip_suffix(tail)
        .is_some_and(|stem| ends_any(stem, stems))
}

fn ends_any(t: &str, ends: &[&str]) -> bool {
    ends.iter().any(|end| t.ends_with(end))
}

/// `x|ch|ss|sh|zz|tto|go|cho|alias|[^aou]us|t[lm]as|gas|(?:her|at|gr)o|[aeiou]ris`.
fn sibilant_end(t: &str) -> bool {
    const ENDS: &[&str] = &[
        "x", "ch", "ss", "sh", "zz", "tto", "go", "cho", "alias", "tlas", "tmas", "gas", "hero",
        "ato", "gro",
    ];
    let before = |end: &str| t.strip_suffix(end).and_then(|stem| stem.bytes().last());
    ends_any(t, ENDS)
        || before("us").is_some_and(|b| !b"aou".contains(&b))
        || before("ris").is_some_and(|b| b"aeiou".contains(&b))
}

/// An irregular singular (lowercase) written with `word`'s capitals: the start the two share
/// as `word` has it (`Thieves` -> `Thief`), else the capital `word` starts with
/// (`Ourselves` -> `Myself`).
fn with_case_of(word: &str, one: &str) -> String {
    let shared = word
        .bytes()
        .zip(one.bytes())
        .take_while(|(w, o)| w.to_ascii_lowercase() == *o)
        .count();
    if shared > 0 {
        return format!("{}{}", &word[..shared], &one[shared..]);
    }
    let mut out = one.to_owned();
    if word.starts_with(|c: char| c.is_ascii_uppercase()) {
        out[..1].make_ascii_uppercase();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// What the `pluralizer` crate makes of the word.
    fn reference(word: &str) -> String {
        pluralizer::pluralize(word, 1, false)
    }

    fn in_domain(word: &str) -> bool {
        word.len() >= 4
            && word.bytes().all(|b| b.is_ascii_lowercase())
            && word.ends_with('s')
            && !word.ends_with("ss")
    }

    /// The words of a text: runs of letters, split where a capital follows a small letter,
    /// in lowercase.
    fn words_of(text: &str, out: &mut BTreeSet<String>) {
        for run in text.split(|c: char| !c.is_ascii_alphabetic()) {
            let mut start = 0;
            let bytes = run.as_bytes();
            for i in 1..=bytes.len() {
                if i == bytes.len()
                    || (bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase())
                {
                    if i - start >= 2 {
                        out.insert(run[start..i].to_ascii_lowercase());
                    }
                    start = i;
                }
            }
        }
    }

    /// A word's plurals as English forms them, so that each rule meets the words it is for
    /// and the words it is not for.
    fn plurals(word: &str) -> Vec<String> {
        let mut out = vec![word.to_owned(), format!("{word}s"), format!("{word}es")];
        let cut = |n: usize, add: &str| format!("{}{add}", &word[..word.len() - n]);
        for (end, n, add) in [
            ("y", 1, "ies"),
            ("f", 1, "ves"),
            ("fe", 2, "ves"),
            ("is", 2, "es"),
            ("ix", 2, "ices"),
            ("ex", 2, "ices"),
            ("us", 2, "i"),
            ("sis", 3, "ses"),
            ("ie", 2, "ies"),
        ] {
            if word.ends_with(end) && word.len() > n {
                out.push(cut(n, add));
            }
        }
        out
    }

    fn title(word: &str) -> String {
        let mut title = word.to_owned();
        title[..1].make_ascii_uppercase();
        title
    }

    fn check(words: &BTreeSet<String>) -> usize {
        let mut wrong = Vec::new();
        let mut checked = 0;
        for word in words.iter().filter(|w| in_domain(w)) {
            for form in [word.clone(), title(word)] {
                checked += 1;
                let (ours, theirs) = (singular(&form), reference(&form));
                if ours != theirs {
                    wrong.push(format!("{form}: {ours}, the crate {theirs}"));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{} words differ:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        checked
    }

    /// Every alternative the crate's singular rules, irregular words and uncountable words
    /// spell out (written here from its tables, not taken from this module's), with each
    /// ending the rules look for, alone and after another letter.
    #[test]
    fn the_rules_words_are_made_singular_as_the_crate_does() {
        const SPELLED: &[&str] = &[
            "wi",
            "kni",
            "after",
            "half",
            "high",
            "low",
            "mid",
            "non",
            "night",
            "li",
            "ar",
            "wol",
            "al",
            "el",
            "ea",
            "eo",
            "oa",
            "oo",
            "dg",
            "ss",
            "ois",
            "lk",
            "ok",
            "wn",
            "mb",
            "th",
            "ch",
            "ec",
            "oal",
            "is",
            "ck",
            "ix",
            "sser",
            "ts",
            "wb",
            "l",
            "t",
            "neckt",
            "crosst",
            "hogt",
            "aunt",
            "coll",
            "faer",
            "food",
            "gen",
            "goon",
            "group",
            "hipp",
            "junk",
            "vegg",
            "p",
            "porkp",
            "charl",
            "calor",
            "cut",
            "mon",
            "smil",
            "m",
            "titm",
            "seraph",
            "cherub",
            "x",
            "sh",
            "zz",
            "tto",
            "go",
            "cho",
            "alias",
            "bus",
            "tus",
            "aus",
            "ous",
            "uus",
            "tlas",
            "tmas",
            "gas",
            "hero",
            "ato",
            "gro",
            "aris",
            "eris",
            "oris",
            "uris",
            "iris",
            "bris",
            "analy",
            "diagno",
            "parenthe",
            "progno",
            "synop",
            "the",
            "empha",
            "cri",
            "ne",
            "movie",
            "twelve",
            "abuse",
            "emu",
            "enu",
            "test",
            "alumn",
            "syllab",
            "vir",
            "radi",
            "nucle",
            "fung",
            "cact",
            "stimul",
            "termin",
            "bacill",
            "foc",
            "uter",
            "loc",
            "strat",
            "cod",
            "mur",
            "sil",
            "vert",
            "ind",
            "matr",
            "append",
            "pe",
            "child",
            "eau",
            "men",
            "measles",
            "pokemon",
            "deer",
            "fish",
            "pox",
            "sheep",
            "chinese",
            // Irregular words.
            "ourselves",
            "yourselves",
            "themselves",
            "echoes",
            "dingoes",
            "volcanoes",
            "tornadoes",
            "torpedoes",
            "axes",
            "yeses",
            "eaves",
            "quizzes",
            "humans",
            "proofs",
            "carves",
            "valves",
            "looies",
            "thieves",
            "grooves",
            "pickaxes",
            "canvases",
            "this",
            "genus",
            "viscus",
            "canvas",
            "these",
            "those",
            "genera",
            "viscera",
            // Uncountable words.
            "analytics",
            "athletics",
            "chassis",
            "corps",
            "debris",
            "diabetes",
            "gallows",
            "headquarters",
            "herpes",
            "highjinks",
            "jeans",
            "kudos",
            "mews",
            "news",
            "pliers",
            "premises",
            "scissors",
            "series",
            "shambles",
            "tennis",
            "species",
            "information",
        ];
        const ENDINGS: &[&str] = &[
            "", "s", "es", "ies", "ves", "ices", "us", "is", "sis", "ses", "ims", "ae",
        ];
        let mut words = BTreeSet::new();
        for stem in SPELLED {
            for ending in ENDINGS {
                for before in ["", "a", "x", "re"] {
                    words.insert(format!("{before}{stem}{ending}"));
                }
            }
        }
        assert!(check(&words) > 2_000);
    }

    /// Every word of the corpus's documents, with the plurals English would make of it.
    #[test]
    fn the_corpus_words_are_made_singular_as_the_crate_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut texts = vec![root.join("openapi.yaml")];
        let mut dirs = vec![root.join("../shared/specs")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    texts.push(path);
                }
            }
        }
        let mut words = BTreeSet::new();
        for path in &texts {
            if let Ok(text) = std::fs::read_to_string(path) {
                words_of(&text, &mut words);
            }
        }
        assert!(
            words.len() > 10_000,
            "the corpus has its words ({})",
            words.len()
        );
        let forms: BTreeSet<String> = words.iter().flat_map(|w| plurals(w)).collect();
        let checked = check(&forms);
        assert!(checked > 20_000, "{checked} words checked");
    }
}
