//! Arabic contextual forms for the PDF, by hand: GNU Unifont (the PDF's face for Arabic) has no
//! GSUB table, so a shaper (rustybuzz, as krilla calls it) leaves every letter in its isolated
//! form, and rustybuzz has no stand-in for the missing table (HarfBuzz builds one from the
//! Presentation Forms; rustybuzz's `arabic_fallback_shape` is a stub). Unifont does have glyphs for
//! the Arabic Presentation Forms (U+FB50..U+FDFF and U+FE70..U+FEFF), so each letter is mapped
//! here to the form its neighbours call for, and the mandatory lam-alef ligatures are made.
//!
//! Why not a crate: `ar-reshaper` and `arabic_reshaper` (crates.io, ports of Python's
//! arabic-reshaper) turn a string into presentation forms, but return only the new string, and
//! the PDF needs to know which characters of the original text each form stands for: the PDF
//! draws the forms but its text (what pdftotext, search and copy give) stays the original, see
//! `pdf::Pen::text`. With the joining rule being a dozen lines, that mapping is kept here.
//!
//! What is covered: the letters of Arabic, Persian and Urdu that have encoded presentation forms
//! (the table below, taken from the Unicode compatibility decompositions `<isolated>`, `<final>`,
//! `<initial>`, `<medial>`); the harakat and other combining marks are transparent (skipped when
//! looking for a letter's neighbours); tatweel and ZWJ join on both sides, ZWNJ and anything else
//! break the join. Not covered: letters without encoded forms (drawn as they are, joining
//! nothing) and the optional ligatures (lam-meem, Allah, ...), which a GSUB font would make.

use std::ops::Range;

use unicode_normalization::char::is_combining_mark;

/// Each letter with its presentation forms: (letter, isolated, final, initial, medial), 0 where
/// Unicode encodes no such form. A letter with all four joins on both sides (dual-joining: beh,
/// seen, lam, meem, peh, gaf, farsi yeh, ...), one with isolated and final only joins the letter
/// before it and never the one after (right-joining: alef, dal, thal, reh, zain, waw, teh marbuta,
/// jeh, ...), hamza joins nothing. Noon ghunna (U+06BA) is dual-joining in Unicode but has no
/// encoded initial or medial form, so it is drawn right-joining (cut from the letter after it
/// rather than joined to nothing); alef maksura's initial and medial forms are the ones encoded
/// for Uighur (U+FBE8, U+FBE9), its dotless yeh shape. Sorted by letter.
const FORMS: &[(u32, u32, u32, u32, u32)] = &[
    (0x0621, 0xFE80, 0, 0, 0),                // hamza
    (0x0622, 0xFE81, 0xFE82, 0, 0),           // alef with madda above
    (0x0623, 0xFE83, 0xFE84, 0, 0),           // alef with hamza above
    (0x0624, 0xFE85, 0xFE86, 0, 0),           // waw with hamza above
    (0x0625, 0xFE87, 0xFE88, 0, 0),           // alef with hamza below
    (0x0626, 0xFE89, 0xFE8A, 0xFE8B, 0xFE8C), // yeh with hamza above
    (0x0627, 0xFE8D, 0xFE8E, 0, 0),           // alef
    (0x0628, 0xFE8F, 0xFE90, 0xFE91, 0xFE92), // beh
    (0x0629, 0xFE93, 0xFE94, 0, 0),           // teh marbuta
    (0x062A, 0xFE95, 0xFE96, 0xFE97, 0xFE98), // teh
    (0x062B, 0xFE99, 0xFE9A, 0xFE9B, 0xFE9C), // theh
    (0x062C, 0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0), // jeem
    (0x062D, 0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4), // hah
    (0x062E, 0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8), // khah
    (0x062F, 0xFEA9, 0xFEAA, 0, 0),           // dal
    (0x0630, 0xFEAB, 0xFEAC, 0, 0),           // thal
    (0x0631, 0xFEAD, 0xFEAE, 0, 0),           // reh
    (0x0632, 0xFEAF, 0xFEB0, 0, 0),           // zain
    (0x0633, 0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4), // seen
    (0x0634, 0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8), // sheen
    (0x0635, 0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC), // sad
    (0x0636, 0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0), // dad
    (0x0637, 0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4), // tah
    (0x0638, 0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8), // zah
    (0x0639, 0xFEC9, 0xFECA, 0xFECB, 0xFECC), // ain
    (0x063A, 0xFECD, 0xFECE, 0xFECF, 0xFED0), // ghain
    (0x0641, 0xFED1, 0xFED2, 0xFED3, 0xFED4), // feh
    (0x0642, 0xFED5, 0xFED6, 0xFED7, 0xFED8), // qaf
    (0x0643, 0xFED9, 0xFEDA, 0xFEDB, 0xFEDC), // kaf
    (0x0644, 0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0), // lam
    (0x0645, 0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4), // meem
    (0x0646, 0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8), // noon
    (0x0647, 0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC), // heh
    (0x0648, 0xFEED, 0xFEEE, 0, 0),           // waw
    (0x0649, 0xFEEF, 0xFEF0, 0xFBE8, 0xFBE9), // alef maksura
    (0x064A, 0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4), // yeh
    (0x0671, 0xFB50, 0xFB51, 0, 0),           // alef wasla
    (0x0679, 0xFB66, 0xFB67, 0xFB68, 0xFB69), // tteh
    (0x067A, 0xFB5E, 0xFB5F, 0xFB60, 0xFB61), // tteheh
    (0x067B, 0xFB52, 0xFB53, 0xFB54, 0xFB55), // beeh
    (0x067E, 0xFB56, 0xFB57, 0xFB58, 0xFB59), // peh
    (0x067F, 0xFB62, 0xFB63, 0xFB64, 0xFB65), // teheh
    (0x0680, 0xFB5A, 0xFB5B, 0xFB5C, 0xFB5D), // beheh
    (0x0683, 0xFB76, 0xFB77, 0xFB78, 0xFB79), // nyeh
    (0x0684, 0xFB72, 0xFB73, 0xFB74, 0xFB75), // dyeh
    (0x0686, 0xFB7A, 0xFB7B, 0xFB7C, 0xFB7D), // tcheh
    (0x0687, 0xFB7E, 0xFB7F, 0xFB80, 0xFB81), // tcheheh
    (0x0688, 0xFB88, 0xFB89, 0, 0),           // ddal
    (0x068C, 0xFB84, 0xFB85, 0, 0),           // dahal
    (0x068D, 0xFB82, 0xFB83, 0, 0),           // ddahal
    (0x068E, 0xFB86, 0xFB87, 0, 0),           // dul
    (0x0691, 0xFB8C, 0xFB8D, 0, 0),           // rreh
    (0x0698, 0xFB8A, 0xFB8B, 0, 0),           // jeh
    (0x06A4, 0xFB6A, 0xFB6B, 0xFB6C, 0xFB6D), // veh
    (0x06A6, 0xFB6E, 0xFB6F, 0xFB70, 0xFB71), // peheh
    (0x06A9, 0xFB8E, 0xFB8F, 0xFB90, 0xFB91), // keheh
    (0x06AD, 0xFBD3, 0xFBD4, 0xFBD5, 0xFBD6), // ng
    (0x06AF, 0xFB92, 0xFB93, 0xFB94, 0xFB95), // gaf
    (0x06B1, 0xFB9A, 0xFB9B, 0xFB9C, 0xFB9D), // ngoeh
    (0x06B3, 0xFB96, 0xFB97, 0xFB98, 0xFB99), // gueh
    (0x06BA, 0xFB9E, 0xFB9F, 0, 0),           // noon ghunna
    (0x06BB, 0xFBA0, 0xFBA1, 0xFBA2, 0xFBA3), // rnoon
    (0x06BE, 0xFBAA, 0xFBAB, 0xFBAC, 0xFBAD), // heh doachashmee
    (0x06C0, 0xFBA4, 0xFBA5, 0, 0),           // heh with yeh above
    (0x06C1, 0xFBA6, 0xFBA7, 0xFBA8, 0xFBA9), // heh goal
    (0x06C5, 0xFBE0, 0xFBE1, 0, 0),           // kirghiz oe
    (0x06C6, 0xFBD9, 0xFBDA, 0, 0),           // oe
    (0x06C7, 0xFBD7, 0xFBD8, 0, 0),           // u
    (0x06C8, 0xFBDB, 0xFBDC, 0, 0),           // yu
    (0x06C9, 0xFBE2, 0xFBE3, 0, 0),           // kirghiz yu
    (0x06CB, 0xFBDE, 0xFBDF, 0, 0),           // ve
    (0x06CC, 0xFBFC, 0xFBFD, 0xFBFE, 0xFBFF), // farsi yeh
    (0x06D0, 0xFBE4, 0xFBE5, 0xFBE6, 0xFBE7), // e
    (0x06D2, 0xFBAE, 0xFBAF, 0, 0),           // yeh barree
    (0x06D3, 0xFBB0, 0xFBB1, 0, 0),           // yeh barree with hamza above
];

/// Lam followed by one of the alefs becomes one ligature: (alef, isolated, final).
const LAM_ALEF: [(char, char, char); 4] = [
    ('\u{0622}', '\u{FEF5}', '\u{FEF6}'), // with madda above
    ('\u{0623}', '\u{FEF7}', '\u{FEF8}'), // with hamza above
    ('\u{0625}', '\u{FEF9}', '\u{FEFA}'), // with hamza below
    ('\u{0627}', '\u{FEFB}', '\u{FEFC}'), // alef
];

const LAM: char = '\u{0644}';
const TATWEEL: char = '\u{0640}';
const ZWJ: char = '\u{200D}';

/// How a character joins its neighbours (Unicode's joining types, as far as they matter here).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Joining {
    /// Joins the letter before and the letter after (D).
    Dual,
    /// Joins only the letter before (R): alef, dal, reh, waw...
    Right,
    /// Joins on both sides but has no forms of its own: tatweel, ZWJ (C).
    Causing,
    /// Skipped when looking for neighbours: harakat and other combining marks (T).
    Transparent,
    /// Joins nothing: hamza, ZWNJ, spaces, digits, Latin... (U).
    None,
}

fn forms(c: char) -> Option<[char; 4]> {
    let i = FORMS.binary_search_by_key(&u32::from(c), |f| f.0).ok()?;
    let (_, iso, fin, ini, med) = FORMS[i];
    let form = |f: u32| char::from_u32(f).filter(|_| f != 0);
    Some([
        form(iso)?,
        form(fin).unwrap_or(c),
        form(ini).unwrap_or(c),
        form(med).unwrap_or(c),
    ])
}

fn joining(c: char) -> Joining {
    if c == TATWEEL || c == ZWJ {
        return Joining::Causing;
    }
    if is_combining_mark(c) {
        return Joining::Transparent;
    }
    match FORMS.binary_search_by_key(&u32::from(c), |f| f.0) {
        Ok(i) if FORMS[i].3 != 0 => Joining::Dual,
        Ok(i) if FORMS[i].2 != 0 => Joining::Right,
        _ => Joining::None,
    }
}

/// Whether `text` has a letter this module would change.
pub fn needs_shaping(text: &str) -> bool {
    text.chars().any(|c| forms(c).is_some())
}

/// One character to draw and the text of the original string it stands for: its own letter, or
/// for a lam-alef both letters (and the marks between them, which go with the ligature).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shaped {
    pub c: char,
    pub text: Range<usize>,
}

/// `text` with each Arabic letter in its contextual form and lam-alef as ligatures, in logical
/// order (the shaper still lays it out right to left), each with the part of `text` it stands
/// for. Characters other than Arabic letters come through unchanged.
pub fn shape(text: &str) -> Vec<Shaped> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let kinds: Vec<Joining> = chars.iter().map(|&(_, c)| joining(c)).collect();
    let span = |i: usize| chars[i].0..chars[i].0 + chars[i].1.len_utf8();
    // The nearest character before and after `i` that is not transparent.
    let before = |i: usize| (0..i).rev().find(|&j| kinds[j] != Joining::Transparent);
    let after = |i: usize| (i + 1..chars.len()).find(|&j| kinds[j] != Joining::Transparent);
    let joins_after = |j: usize| matches!(kinds[j], Joining::Dual | Joining::Causing);
    let joins_before = |j: usize| matches!(kinds[j], Joining::Dual | Joining::Right | Joining::Causing);
    let mut out = Vec::with_capacity(chars.len());
    let mut done = 0; // characters before this one are already out (a lam-alef and its marks)
    for (i, &(_, c)) in chars.iter().enumerate() {
        if i < done {
            continue;
        }
        let Some([isolated, last, first, middle]) = forms(c) else {
            out.push(Shaped { c, text: span(i) });
            continue;
        };
        let prev = before(i).is_some_and(joins_after) && joins_before(i);
        let next = after(i).filter(|&j| joins_before(j) && joins_after(i));
        if c == LAM
            && let Some(j) = next
            && let Some(&(_, iso, fin)) = LAM_ALEF.iter().find(|l| l.0 == chars[j].1)
        {
            // The ligature stands for the lam, any marks on it and the alef; marks after the
            // alef follow as usual.
            let both = span(i).start..span(j).end;
            out.push(Shaped {
                c: if prev { fin } else { iso },
                text: both.clone(),
            });
            for &(_, c) in &chars[i + 1..j] {
                out.push(Shaped { c, text: both.clone() });
            }
            done = j + 1;
            continue;
        }
        let form = match (prev, next.is_some()) {
            (false, false) => isolated,
            (true, false) => last,
            (false, true) => first,
            (true, true) => middle,
        };
        out.push(Shaped { c: form, text: span(i) });
    }
    out
}

/// Every presentation form `shape` can produce, for checking a font covers them.
#[cfg(test)]
pub fn all_forms() -> impl Iterator<Item = char> {
    FORMS
        .iter()
        .flat_map(|&(_, a, b, c, d)| [a, b, c, d])
        .filter(|&f| f != 0)
        .filter_map(char::from_u32)
        .chain(LAM_ALEF.iter().flat_map(|&(_, iso, fin)| [iso, fin]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms_of(text: &str) -> String {
        shape(text).into_iter().map(|s| s.c).collect()
    }

    #[test]
    fn each_letter_takes_the_form_its_neighbours_call_for() {
        // Muhammad: initial meem, medial hah, medial meem, final dal.
        assert_eq!(forms_of("محمد"), "\u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA}");
        // Ali: initial ain, medial lam, final yeh; the space between the words breaks the join.
        assert_eq!(
            forms_of("محمد علي"),
            "\u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA} \u{FECB}\u{FEE0}\u{FEF2}"
        );
        // A right-joining letter joins the one before it but not the one after: in "درس" the dal
        // is isolated, the reh can not join it, and seen after the reh starts afresh.
        assert_eq!(forms_of("درس"), "\u{FEA9}\u{FEAD}\u{FEB1}");
        // Ahmad: alef isolated, then initial hah, medial meem, final dal.
        assert_eq!(forms_of("احمد"), "\u{FE8D}\u{FEA3}\u{FEE4}\u{FEAA}");
        // A letter alone is isolated; hamza never joins.
        assert_eq!(forms_of("ب"), "\u{FE8F}");
        assert_eq!(forms_of("ماء"), "\u{FEE3}\u{FE8E}\u{FE80}");
        // Teh marbuta is right-joining: final after a joining letter.
        assert_eq!(forms_of("فاطمة"), "\u{FED3}\u{FE8E}\u{FEC3}\u{FEE4}\u{FE94}");
    }

    #[test]
    fn lam_alef_is_one_ligature() {
        assert_eq!(forms_of("لا"), "\u{FEFB}");
        // After a joining letter the ligature takes its final form, and ends the join.
        assert_eq!(forms_of("سلام"), "\u{FEB3}\u{FEFC}\u{FEE1}");
        assert_eq!(forms_of("الله"), "\u{FE8D}\u{FEDF}\u{FEE0}\u{FEEA}");
        assert_eq!(forms_of("لأن"), "\u{FEF7}\u{FEE5}");
        assert_eq!(forms_of("إسلام"), "\u{FE87}\u{FEB3}\u{FEFC}\u{FEE1}");
        // The ligature stands for both letters.
        let shaped = shape("سلام");
        assert_eq!(
            shaped.iter().map(|s| s.text.clone()).collect::<Vec<_>>(),
            [0..2, 2..6, 6..8]
        );
    }

    #[test]
    fn marks_are_skipped_when_looking_for_neighbours() {
        // Muhammad with damma, fatha, and fatha and shadda: the letters join as without them, and
        // the marks stay where they were.
        let text = "مُحَمَّد";
        let shaped = shape(text);
        let letters: String = shaped.iter().map(|s| s.c).filter(|&c| !is_combining_mark(c)).collect();
        assert_eq!(letters, "\u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA}");
        let marks: String = shaped.iter().map(|s| s.c).filter(|&c| is_combining_mark(c)).collect();
        assert_eq!(marks, "\u{064F}\u{064E}\u{064E}\u{0651}");
        // Every character stands for itself.
        let texts: String = shaped.iter().map(|s| &text[s.text.clone()]).collect();
        assert_eq!(texts, text);
        // A fatha between lam and alef goes with the ligature.
        assert_eq!(forms_of("لَا"), "\u{FEFB}\u{064E}");
        assert!(shape("لَا").iter().all(|s| s.text == (0.."لَا".len())));
    }

    #[test]
    fn persian_and_urdu_letters_join_too() {
        // Pezhman: initial peh, final jeh (right-joining), initial meem, final alef, isolated noon.
        assert_eq!(forms_of("پژمان"), "\u{FB58}\u{FB8B}\u{FEE3}\u{FE8E}\u{FEE5}");
        // Tcheh, gaf, keheh and farsi yeh in their four forms.
        assert_eq!(forms_of("چچچ"), "\u{FB7C}\u{FB7D}\u{FB7B}");
        assert_eq!(forms_of("گل"), "\u{FB94}\u{FEDE}");
        assert_eq!(forms_of("کیک"), "\u{FB90}\u{FBFF}\u{FB8F}");
        assert_eq!(forms_of("علی"), "\u{FECB}\u{FEE0}\u{FBFD}");
        assert_eq!(forms_of("ی"), "\u{FBFC}");
        // ZWNJ breaks the join inside a word (mi-khaham), and stays in the text.
        assert_eq!(
            forms_of("می\u{200C}خوا"),
            "\u{FEE3}\u{FBFD}\u{200C}\u{FEA7}\u{FEEE}\u{FE8D}"
        );
        // Tatweel joins on both sides; Urdu's heh goal and yeh barree.
        assert_eq!(forms_of("ب\u{0640}ب"), "\u{FE91}\u{0640}\u{FE90}");
        assert_eq!(forms_of("ہے"), "\u{FBA8}\u{FBAF}");
        // Noon ghunna has no initial form: it does not join the letter after it.
        assert_eq!(forms_of("ںب"), "\u{FB9E}\u{FE8F}");
    }

    #[test]
    fn other_scripts_come_through_unchanged() {
        for text in ["Ærø Łódź", "שיחה על המהדר", "编译器", "", "12 · 3"] {
            assert!(!needs_shaping(text));
            assert_eq!(forms_of(text), text);
        }
        assert_eq!(forms_of("Room محمد 3"), "Room \u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA} 3");
    }

    #[test]
    fn the_table_is_sorted_and_dual_joining_forms_are_in_unicode_order() {
        assert!(FORMS.windows(2).all(|w| w[0].0 < w[1].0));
        for &(letter, iso, fin, ini, med) in FORMS {
            // Presentation forms come isolated, final, initial, medial in a row (alef maksura's
            // initial and medial forms are elsewhere, see the table's comment).
            if ini != 0 && letter != 0x0649 {
                assert_eq!([fin, ini, med], [iso + 1, iso + 2, iso + 3], "{letter:04X}");
            } else if fin != 0 {
                assert_eq!(fin, iso + 1, "{letter:04X}");
            }
        }
    }
}
