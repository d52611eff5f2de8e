//! Shields-style SVG badges: a grey label and a coloured message, sized to their text.
//!
//! The output mimics shields.io's "flat" style. Widths come from a table of
//! Verdana 11px advance widths (the data badge-maker measures text with), so a
//! badge is sized without any font at hand; `textLength` keeps the text inside
//! its box when the viewer substitutes another font. Output is deterministic.

/// Height of every badge, in px.
const HEIGHT: u32 = 20;
/// Horizontal padding on each side of a text, in px.
const PADDING: u32 = 5;
/// Colour of the label part.
const LABEL_COLOUR: &str = "#555";
/// Used when `svg` is handed something that is not `#rgb` or `#rrggbb`.
const FALLBACK_COLOUR: &str = "#9f9f9f";
const FONT_FAMILY: &str = "Verdana,Geneva,DejaVu Sans,sans-serif";

/// Verdana 11px advance widths in hundredths of a px, for U+0020..=U+007E.
#[rustfmt::skip]
const ASCII: [u16; 95] = [
    387, 433, 505, 900, 699, 1184, 799, 295, 500, 500, 699, 900, 400, 500, 400, 500, // ' '..'/'
    699, 699, 699, 699, 699, 699, 699, 699, 699, 699, 500, 500, 900, 900, 900, 600, // '0'..'?'
    1100, 752, 754, 768, 848, 696, 632, 853, 827, 463, 500, 762, 612, 927, 823, 866, // '@'..'O'
    663, 866, 765, 752, 678, 805, 752, 1088, 754, 677, 754, 500, 500, 500, 900, 699, // 'P'..'_'
    699, 661, 685, 573, 685, 655, 387, 685, 696, 302, 379, 651, 302, 1070, 696, 668, // '`'..'o'
    685, 685, 469, 573, 433, 696, 651, 900, 651, 651, 578, 698, 500, 698, 900,      // 'p'..'~'
];

/// Verdana 11px advance widths in hundredths of a px, for U+00A0..=U+00FF.
#[rustfmt::skip]
const LATIN1: [u16; 96] = [
    387, 433, 699, 699, 699, 699, 500, 699, 699, 1100, 600, 709, 900, 0, 1100, 699,
    596, 900, 596, 596, 699, 706, 699, 400, 699, 596, 600, 709, 1100, 1100, 1100, 600,
    752, 752, 752, 752, 752, 752, 1083, 768, 696, 696, 696, 696, 463, 463, 463, 463,
    853, 823, 866, 866, 866, 866, 866, 900, 866, 805, 805, 805, 805, 677, 666, 682,
    661, 661, 661, 661, 661, 661, 1051, 573, 655, 655, 655, 655, 302, 302, 302, 302,
    673, 696, 668, 668, 668, 668, 668, 900, 668, 696, 696, 696, 696, 651, 685, 651,
];

/// Width of 'm': used for wide (CJK, Hangul, full-width, emoji) characters.
const WIDE: u16 = 1070;
/// Width of 'a': used for any other character the tables do not cover.
const NARROW: u16 = 661;

/// Badge colour for a completion percentage (values above 100 count as 100).
pub(crate) fn colour(percent: u32) -> &'static str {
    match percent.min(100) {
        100 => "#4c1",
        75..=99 => "#dfb317",
        1..=74 => "#fe7d37",
        _ => "#e05d44",
    }
}

/// Width in px of `text` set in Verdana 11px. Never panics.
pub(crate) fn text_width(text: &str) -> f64 {
    // Summed in whole hundredths so the result is exact and `ceil` is stable.
    let hundredths: u64 = text.chars().map(|c| u64::from(char_width(c))).sum();
    hundredths as f64 / 100.0
}

/// Advance width of one character, in hundredths of a px.
fn char_width(c: char) -> u16 {
    let cp = u32::from(c);
    match cp {
        0x20..=0x7E => ASCII.get((cp - 0x20) as usize).copied().unwrap_or(NARROW),
        0xA0..=0xFF => LATIN1.get((cp - 0xA0) as usize).copied().unwrap_or(NARROW),
        _ if !is_xml_char(c) || c.is_control() || is_zero_width(cp) => 0,
        _ if is_wide(cp) => WIDE,
        _ => NARROW,
    }
}

/// Combining marks, zero-width spaces and joiners, variation selectors.
fn is_zero_width(cp: u32) -> bool {
    matches!(
        cp,
        0x0300..=0x036F | 0x200B..=0x200F | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF
            | 0xE0100..=0xE01EF
    )
}

/// East Asian wide and full-width ranges, plus the common emoji blocks.
fn is_wide(cp: u32) -> bool {
    matches!(
        cp,
        0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x1F300..=0x1F64F
            | 0x1F900..=0x1F9FF
            | 0x20000..=0x3FFFD
    )
}

/// Whether XML 1.0 allows `c` in a document at all.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Escapes text for use in XML text and attribute values. Characters XML
/// cannot carry at all (most C0 controls, U+FFFE, U+FFFF) are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// `colour` if it is `#` and 3 or 6 hex digits, else the neutral grey.
fn safe_colour(colour: &str) -> &str {
    let valid = colour.strip_prefix('#').is_some_and(|hex| {
        matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    });
    if valid {
        colour
    } else {
        FALLBACK_COLOUR
    }
}

/// Rounded-up text width: the length the text is stretched to.
fn box_text_width(text: &str) -> u32 {
    // Saturating float-to-int cast: absurdly long texts cannot panic.
    text_width(text).ceil() as u32
}

/// Formats a px value that is a whole or half number ("12" or "12.5").
fn px(halves: u64) -> String {
    if halves.is_multiple_of(2) {
        (halves / 2).to_string()
    } else {
        format!("{}.5", halves / 2)
    }
}

/// The shadow-and-text pair for one part, centred at `centre_halves` / 2 px.
fn text_pair(out: &mut String, text: &str, centre_halves: u64, length: u32) {
    let (x, text) = (px(centre_halves), escape(text));
    out.push_str(&format!(
        "<text aria-hidden=\"true\" x=\"{x}\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\" \
         textLength=\"{length}\">{text}</text>\
         <text x=\"{x}\" y=\"14\" textLength=\"{length}\">{text}</text>"
    ));
}

/// A flat badge: `label` on grey at the left, `message` on `colour` at the
/// right. An empty label drops the grey part, as shields.io does.
pub(crate) fn svg(label: &str, message: &str, colour: &str) -> String {
    let colour = safe_colour(colour);
    let (label_text, message_text) = (box_text_width(label), box_text_width(message));
    let left = if label.is_empty() {
        0
    } else {
        label_text.saturating_add(2 * PADDING)
    };
    let right = message_text.saturating_add(2 * PADDING);
    let width = u64::from(left) + u64::from(right);
    let accessible = if label.is_empty() {
        escape(message)
    } else {
        escape(&format!("{label}: {message}"))
    };

    let mut out = String::with_capacity(1024 + 4 * (label.len() + message.len()));
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{HEIGHT}\" \
         role=\"img\" aria-label=\"{accessible}\">\
         <title>{accessible}</title>\
         <linearGradient id=\"s\" x2=\"0\" y2=\"100%\">\
         <stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/>\
         <stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>\
         <clipPath id=\"r\"><rect width=\"{width}\" height=\"{HEIGHT}\" rx=\"3\" fill=\"#fff\"/>\
         </clipPath>\
         <g clip-path=\"url(#r)\">\
         <rect width=\"{left}\" height=\"{HEIGHT}\" fill=\"{LABEL_COLOUR}\"/>\
         <rect x=\"{left}\" width=\"{right}\" height=\"{HEIGHT}\" fill=\"{colour}\"/>\
         <rect width=\"{width}\" height=\"{HEIGHT}\" fill=\"url(#s)\"/></g>\
         <g fill=\"#fff\" text-anchor=\"middle\" font-family=\"{FONT_FAMILY}\" \
         text-rendering=\"geometricPrecision\" font-size=\"11\">"
    ));
    if !label.is_empty() {
        text_pair(&mut out, label, u64::from(left), label_text);
    }
    text_pair(
        &mut out,
        message,
        2 * u64::from(left) + u64::from(right),
        message_text,
    );
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `svg` and returns its two background rects' (width, fill).
    fn rects(svg: &str) -> Vec<(u32, String)> {
        let doc = roxmltree::Document::parse(svg).expect("badge is well-formed XML");
        let group = doc
            .descendants()
            .find(|n| n.attribute("clip-path") == Some("url(#r)"))
            .expect("clipped group");
        group
            .children()
            .filter(|n| n.has_tag_name("rect") && n.attribute("fill") != Some("url(#s)"))
            .map(|n| {
                let width = n.attribute("width").unwrap().parse().unwrap();
                (width, n.attribute("fill").unwrap().to_string())
            })
            .collect()
    }

    fn expected_width(text: &str) -> u32 {
        text_width(text).ceil() as u32 + 10
    }

    #[test]
    fn colour_thresholds() {
        assert_eq!(colour(0), "#e05d44");
        assert_eq!(colour(1), "#fe7d37");
        assert_eq!(colour(74), "#fe7d37");
        assert_eq!(colour(75), "#dfb317");
        assert_eq!(colour(99), "#dfb317");
        assert_eq!(colour(100), "#4c1");
        assert_eq!(colour(150), "#4c1");
    }

    #[test]
    fn text_width_uses_verdana_table() {
        assert_eq!(text_width(""), 0.0);
        assert_eq!(text_width("m"), 10.7);
        // Reference sums from badge-maker's Verdana 11px data.
        assert_eq!(text_width("checks"), 37.21);
        assert_eq!(text_width("Hello, World! 0123 ~{}|"), 135.52);
        assert_eq!(text_width("café ñ ü"), 44.42);
        assert!(text_width("WWW") > text_width("iii"));
    }

    #[test]
    fn svg_structure_and_sizes() {
        let out = svg("checks", "87%", colour(87));
        let doc = roxmltree::Document::parse(&out).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(root.attribute("aria-label"), Some("checks: 87%"));
        assert_eq!(root.attribute("height"), Some("20"));
        let title = root.first_element_child().unwrap();
        assert!(title.has_tag_name("title"));
        assert_eq!(title.text(), Some("checks: 87%"));
        let rects = rects(&out);
        assert_eq!(rects.len(), 2);
        assert_eq!(rects[0], (expected_width("checks"), "#555".to_string()));
        assert_eq!(rects[1], (expected_width("87%"), "#dfb317".to_string()));
        let total: u32 = root.attribute("width").unwrap().parse().unwrap();
        assert_eq!(total, rects[0].0 + rects[1].0);
        let texts: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .collect();
        assert_eq!(texts.len(), 4);
        assert_eq!(texts[3].text(), Some("87%"));
        assert!(out.contains("rx=\"3\"") && out.contains(FONT_FAMILY));
        assert_eq!(out, svg("checks", "87%", colour(87)), "deterministic");
    }

    #[test]
    fn widths_grow_with_text() {
        let short = rects(&svg("a", "b", "#4c1"));
        let message = "x".repeat(60);
        let long = rects(&svg("a much longer label", &message, "#4c1"));
        assert!(long[0].0 > short[0].0 && long[1].0 > short[1].0);
        assert!(f64::from(long[1].0) >= text_width(&message));
        assert_eq!(long[1].0, expected_width(&message));
    }

    #[test]
    fn escapes_text_and_attributes() {
        let nasty = "<script>&\"'";
        let out = svg(nasty, nasty, "#4c1");
        assert!(!out.contains("<script>"));
        assert!(out.contains("&lt;script&gt;&amp;&quot;&#39;"));
        let doc = roxmltree::Document::parse(&out).unwrap();
        let expected = format!("{nasty}: {nasty}");
        assert_eq!(doc.root_element().attribute("aria-label"), Some(&*expected));
        let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
        assert_eq!(title.text(), Some(&*expected));
        assert!(doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .all(|n| n.text() == Some(nasty)));
        assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
    }

    #[test]
    fn non_ascii_and_control_chars() {
        assert!(text_width("é") > 0.0);
        assert!(text_width("日本") > 0.0);
        assert_eq!(text_width("日本"), 2.0 * text_width("m"));
        assert!(text_width("Ж") > 0.0);
        let out = svg("café", "日本 \u{1}\u{ffff}", "#4c1");
        let rects = rects(&out);
        assert_eq!(rects[0].0, expected_width("café"));
        assert!(out.contains("日本") && !out.contains('\u{1}'));
    }

    #[test]
    fn invalid_colour_falls_back() {
        for bad in ["red", "#12", "#12345g", "#1234", "\"/><script>", "", "#"] {
            assert_eq!(rects(&svg("a", "b", bad))[1].1, "#9f9f9f", "{bad}");
        }
        for good in ["#abc", "#A1b2C3", "#4c1"] {
            assert_eq!(rects(&svg("a", "b", good))[1].1, good);
        }
    }

    #[test]
    fn empty_label_drops_grey_part() {
        let out = svg("", "ok", "#4c1");
        let doc = roxmltree::Document::parse(&out).unwrap();
        assert_eq!(doc.root_element().attribute("aria-label"), Some("ok"));
        assert_eq!(rects(&out)[0].0, 0);
    }
}
