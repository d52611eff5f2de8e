//! Code highlighting: syntect with CSS classes, loaded only when a page has code, each
//! block highlighted once per build; and the stylesheet for light and dark schemes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const LIGHT: &str = "InspiredGitHub";
const DARK: &str = "base16-ocean.dark";
/// The code block backgrounds of the default theme's style.css (`--soft`), which
/// token colours must stand out from.
const LIGHT_BG: (u8, u8, u8) = (0xf6, 0xf8, 0xfa);
const DARK_BG: (u8, u8, u8) = (0x16, 0x1b, 0x22);
/// WCAG AA for normal text, with a little room for rounding.
const MIN_CONTRAST: f64 = 4.6;

#[allow(
    clippy::expect_used,
    reason = "a constant pattern: it compiles, as every test run shows"
)]
static COLOR: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?m)(^|[;{\s])color:\s*#([0-9a-fA-F]{6})").expect("constant pattern")
});

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// The WCAG contrast ratio of two colours.
pub(crate) fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `colour`, moved toward black or white (away from `bg`) until it reads on `bg`.
pub(crate) fn readable(colour: (u8, u8, u8), bg: (u8, u8, u8)) -> (u8, u8, u8) {
    let target = if luminance(bg) > 0.5 { 0.0 } else { 255.0 };
    let mut c = colour;
    for step in 1..=20 {
        if contrast(c, bg) >= MIN_CONTRAST {
            break;
        }
        let t = f64::from(step) / 20.0;
        let mix = |x: u8| {
            (f64::from(x) + (target - f64::from(x)) * t)
                .round()
                .clamp(0.0, 255.0) as u8
        };
        c = (mix(colour.0), mix(colour.1), mix(colour.2));
    }
    c
}

/// Rewrites every text colour of a stylesheet so it reads on `bg`.
fn readable_css(css: &str, bg: (u8, u8, u8)) -> String {
    COLOR
        .replace_all(css, |caps: &regex::Captures| {
            let hex = caps.get(2).map_or("", |m| m.as_str());
            let channel = |i: usize| {
                hex.get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .unwrap_or(0)
            };
            let (r, g, b) = readable((channel(0), channel(2), channel(4)), bg);
            format!(
                "{}color: #{r:02x}{g:02x}{b:02x}",
                caps.get(1).map_or("", |m| m.as_str())
            )
        })
        .into_owned()
}

/// Most highlighted blocks kept for reuse; past it, new blocks are highlighted each time.
const CACHE_ENTRIES: usize = 4096;
/// Most bytes of code and highlighted HTML kept for reuse.
const CACHE_BYTES: usize = 32 << 20;

/// A block's highlighted HTML, computed once by whichever thread asks first.
type Cell = Arc<OnceLock<Arc<str>>>;

/// Highlighted blocks by (language, code), shared by every page of a build.
#[derive(Default)]
struct Cache {
    blocks: HashMap<(String, String), Cell>,
    bytes: usize,
}

/// Syntax definitions and themes, each loaded the first time something needs it and
/// shared by every page; the blocks it highlighted, so the same code in the same
/// language is highlighted once.
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    themes: OnceLock<ThemeSet>,
    cache: Mutex<Cache>,
    /// Most bytes the cache keeps: [`CACHE_BYTES`] but in tests.
    cache_bytes: usize,
    /// Blocks highlighted (not served from the cache).
    highlighted: AtomicUsize,
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    /// A highlighter that loads nothing yet: the syntax definitions wait for the first
    /// code block, the themes for the first stylesheet or theme name asked for.
    pub fn new() -> Self {
        Highlighter {
            syntaxes: OnceLock::new(),
            themes: OnceLock::new(),
            cache: Mutex::new(Cache::default()),
            cache_bytes: CACHE_BYTES,
            highlighted: AtomicUsize::new(0),
        }
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines)
    }

    fn themes(&self) -> &ThemeSet {
        self.themes.get_or_init(ThemeSet::load_defaults)
    }

    /// Whether the syntax definitions have been loaded: only once a page has code.
    pub fn loaded(&self) -> bool {
        self.syntaxes.get().is_some()
    }

    /// How many blocks were highlighted rather than reused.
    pub fn highlighted(&self) -> usize {
        self.highlighted.load(Ordering::Relaxed)
    }

    pub fn theme_names(&self) -> Vec<&str> {
        self.themes().themes.keys().map(String::as_str).collect()
    }

    pub fn has_theme(&self, name: &str) -> bool {
        self.themes().themes.contains_key(name)
    }

    /// The inner HTML of a `<code>` block: highlighted spans when the language is
    /// known, escaped text otherwise. The same code in the same language is
    /// highlighted once; later calls, from any thread, get the same HTML.
    pub fn code(&self, lang: &str, code: &str) -> String {
        let token = lang.split([' ', ',', '{']).next().unwrap_or("").trim();
        if token.is_empty() {
            return escape(code);
        }
        let Some(cell) = self.cell(token, code) else {
            return self.highlight(token, code);
        };
        cell.get_or_init(|| self.highlight(token, code).into())
            .to_string()
    }

    /// The cache's cell for a block, added if there is room; `None` when full.
    fn cell(&self, token: &str, code: &str) -> Option<Cell> {
        // A poisoned lock only means another page panicked; the cache is still whole.
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = (token.to_string(), code.to_string());
        if let Some(cell) = cache.blocks.get(&key) {
            return Some(Arc::clone(cell));
        }
        // Code and its HTML, roughly thrice the code's size.
        let cost = token.len() + code.len() * 4;
        if cache.blocks.len() >= CACHE_ENTRIES || cache.bytes + cost > self.cache_bytes {
            return None;
        }
        cache.bytes += cost;
        let cell = Cell::default();
        cache.blocks.insert(key, Arc::clone(&cell));
        Some(cell)
    }

    fn highlight(&self, token: &str, code: &str) -> String {
        let syntaxes = self.syntaxes();
        let Some(syntax) = syntaxes.find_syntax_by_token(token) else {
            return escape(code);
        };
        self.highlighted.fetch_add(1, Ordering::Relaxed);
        let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            if gen
                .parse_html_for_line_which_includes_newline(line)
                .is_err()
            {
                return escape(code);
            }
        }
        gen.finalize()
    }

    /// The stylesheet for highlighted code: the light theme, and the dark one, each under
    /// its `prefers-color-scheme` unless the reader chose the other (`data-theme` on
    /// `<html>`), and again for that choice. `light` overrides the light theme by name.
    pub fn css(&self, light: Option<&str>) -> String {
        let theme_css = |name: &str, bg| {
            let css = self
                .themes()
                .themes
                .get(name)
                .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
                .unwrap_or_default();
            readable_css(&css, bg)
        };
        let mut out = String::from("/* Code highlighting, generated by rollbook. */\n");
        match light.filter(|n| self.has_theme(n)) {
            // A chosen theme applies in both schemes.
            Some(name) => out.push_str(&theme_css(name, LIGHT_BG)),
            // Each scheme gets its own theme, each in its own block, so no rule of one
            // outranks the other by specificity.
            None => {
                for (scheme, other, name, bg) in [
                    ("light", "dark", LIGHT, LIGHT_BG),
                    ("dark", "light", DARK, DARK_BG),
                ] {
                    let css = theme_css(name, bg);
                    let system = scoped(&css, &format!(":root:not([data-theme={other}])"));
                    let chosen = scoped(&css, &format!(":root[data-theme={scheme}]"));
                    out.push_str(&format!(
                        "@media (prefers-color-scheme: {scheme}) {{\n{system}}}\n{chosen}"
                    ));
                }
            }
        }
        out
    }
}

/// `css` with every selector of its rules put under `scope`: `.hl-a, .hl-b {` becomes
/// `scope .hl-a, scope .hl-b {`. Syntect writes each rule's selectors on one line ending
/// in `{`.
fn scoped(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    for line in css.lines() {
        match line.strip_suffix('{') {
            Some(selectors) if !line.starts_with('@') => {
                let list: Vec<String> = selectors
                    .split(',')
                    .map(|s| format!("{scope} {}", s.trim()))
                    .collect();
                out.push_str(&list.join(", "));
                out.push_str(" {");
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// Escapes text for HTML element content and double-quoted attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_not_inline_styles() {
        let h = Highlighter::new();
        let html = h.code("bash", "echo \"hi\" # comment\n");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="));
        assert_eq!(h.code("no-such-lang", "<b>"), "&lt;b&gt;");
        let css = h.css(None);
        assert!(css.contains(".hl-"));
        assert!(css.contains("@media (prefers-color-scheme: light) {"));
        assert!(css.contains("@media (prefers-color-scheme: dark) {"));
        // Each scheme follows the reader's choice too.
        assert!(css.contains(":root:not([data-theme=light]) .hl-"));
        assert!(css.contains(":root[data-theme=dark] .hl-"));
        assert!(css.contains(":root:not([data-theme=dark]) .hl-"));
        assert!(css.contains(":root[data-theme=light] .hl-"));
        assert_eq!(
            scoped(".hl-a, .hl-b .hl-c {\n color: #000;\n}\n", ":root[x]"),
            ":root[x] .hl-a, :root[x] .hl-b .hl-c {\n color: #000;\n}\n"
        );
        assert!(!h.css(Some("InspiredGitHub")).contains("@media"));
    }

    #[test]
    fn token_colours_read_on_the_code_background() {
        assert!(contrast((0x96, 0x98, 0x96), LIGHT_BG) < 4.5);
        assert!(contrast(readable((0x96, 0x98, 0x96), LIGHT_BG), LIGHT_BG) >= 4.5);
        assert!(contrast(readable((0xbf, 0x61, 0x6a), DARK_BG), DARK_BG) >= 4.5);
        // Already readable colours stay as they are.
        assert_eq!(readable((0x24, 0x29, 0x2e), LIGHT_BG), (0x24, 0x29, 0x2e));
        let css = h_css();
        for caps in COLOR.captures_iter(&css) {
            let hex = &caps[2];
            let c = (
                u8::from_str_radix(&hex[0..2], 16).unwrap(),
                u8::from_str_radix(&hex[2..4], 16).unwrap(),
                u8::from_str_radix(&hex[4..6], 16).unwrap(),
            );
            assert!(
                contrast(c, LIGHT_BG) >= 4.5 || contrast(c, DARK_BG) >= 4.5,
                "#{hex}"
            );
        }
        assert!(
            !css.contains("background-color: #ffffff;\n color"),
            "background colours are left alone"
        );
    }

    #[test]
    fn the_same_block_is_highlighted_once() {
        let h = Highlighter::new();
        let code = "fn main() {\n    println!(\"hi\");\n}\n";
        let first = h.code("rust", code);
        assert!(first.contains("class=\"hl-"), "{first}");
        assert_eq!(h.code("rust", code), first);
        // Only the language's token counts: the rest of the info string is not the language.
        assert_eq!(h.code("rust,ignore", code), first);
        assert_eq!(h.highlighted(), 1);
        // Other code, or the same code in another language, is another block.
        h.code("rust", "let x = 1;\n");
        h.code("c", code);
        assert_eq!(h.highlighted(), 3);
        // Unknown languages and plain blocks are escaped, not highlighted.
        assert_eq!(h.code("no-such-lang", "<b>"), "&lt;b&gt;");
        assert_eq!(h.code("", "<b>"), "&lt;b&gt;");
        assert_eq!(h.highlighted(), 3);
    }

    #[test]
    fn threads_share_one_highlight_of_a_block() {
        use rayon::prelude::*;
        let h = Highlighter::new();
        let code = "echo \"$HOME\" | grep x # done\n";
        let all: Vec<String> = (0..64)
            .into_par_iter()
            .map(|_| h.code("bash", code))
            .collect();
        assert!(all.iter().all(|html| *html == all[0]));
        assert_eq!(h.highlighted(), 1);
    }

    #[test]
    fn a_full_cache_still_highlights() {
        let mut h = Highlighter::new();
        h.cache_bytes = 100;
        let small = "x = 1\n";
        let big = "x = 1\n".repeat(10);
        let first = h.code("python", &big);
        assert_eq!(h.code("python", &big), first);
        // Too big to keep: highlighted each time, the same HTML.
        assert_eq!(h.highlighted(), 2);
        h.code("python", small);
        h.code("python", small);
        assert_eq!(h.highlighted(), 3);
    }

    #[test]
    fn nothing_is_loaded_before_code_needs_it() {
        let h = Highlighter::new();
        assert!(!h.loaded());
        // The stylesheet and the theme names need the themes only.
        assert!(h.css(None).contains(".hl-"));
        assert!(h.has_theme("InspiredGitHub"));
        assert_eq!(h.code("", "plain"), "plain");
        assert!(!h.loaded());
        h.code("toml", "a = 1\n");
        assert!(h.loaded());
    }

    fn h_css() -> String {
        Highlighter::new().css(None)
    }
}
