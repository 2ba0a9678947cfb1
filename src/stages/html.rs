//! HTML to plain text with a real HTML5 parser (html5ever via `scraper`).
//!
//! Regexes cannot tell a `<script>` body from prose or decode every entity;
//! the parser can. Block elements become paragraph breaks so sentences from
//! different paragraphs never run together; script, style and similar
//! non-content elements are skipped.
//!
//! The parser's cost grows with nesting depth times tags, so every input is
//! first priced in one linear pass ([`markup_cost`]); markup over the budget
//! ([`MAX_DEPTH`], [`MAX_TAGS`]) is rendered by a linear tag stripper instead
//! ([`strip_tags`]) and the article record says so. Nothing here recurses
//! over the document, so no input can exhaust the stack.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// Cheap test for markup: a known HTML element (`<p>`, `<br/>`, `<a href=…>`,
/// any closing tag `</p>`), a comment or doctype, or an HTML entity.
///
/// Angle brackets alone are not markup: Reuters and other wire services
/// write company names as `<AMERICAN EXPRESS CO>` and tickers as `<BP>`, and
/// a parser would swallow them as unknown elements. Opening tags therefore
/// count only in lower case (HTML as written today) or when the text also
/// closes an element (`<P>…</P>`, as older pages wrote it).
pub fn looks_like_html(s: &str) -> bool {
    let mut opens = false;
    for i in memchr::memchr_iter(b'<', s.as_bytes()) {
        match tag_at(&s.as_bytes()[i + 1..]) {
            Tag::Declaration | Tag::Close => return true,
            Tag::Open { lower_case } => opens |= lower_case,
            Tag::Text => {}
        }
    }
    opens || s.contains("&amp;") || s.contains("&nbsp;") || s.contains("&#") || s.contains("&quot;")
}

/// What a `<` starts, judged from the bytes after it.
enum Tag {
    /// `<!--`, `<!DOCTYPE`.
    Declaration,
    /// `</p>`: the closing tag of a known element.
    Close,
    /// `<p>`, `<br/>`, `<a href=…>`: the opening tag of a known element.
    Open { lower_case: bool },
    /// Anything else (`<AMERICAN EXPRESS CO>`, `x < 3`): text.
    Text,
}

fn tag_at(rest: &[u8]) -> Tag {
    if rest.first() == Some(&b'!') {
        return Tag::Declaration;
    }
    if let Some(after) = rest.strip_prefix(b"/") {
        return match element_at(after) {
            Some(_) => Tag::Close,
            None => Tag::Text,
        };
    }
    match element_at(rest) {
        Some(n) => Tag::Open {
            lower_case: !rest[..n].iter().any(u8::is_ascii_uppercase),
        },
        None => Tag::Text,
    }
}

/// The length of a known element name at the start of `b` when a tag
/// really starts there: the name (any case) followed by `>`, `/` or
/// whitespace.
fn element_at(b: &[u8]) -> Option<usize> {
    let n = b.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    if n == 0 || n > 10 {
        return None;
    }
    match b.get(n) {
        Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r') => {}
        _ => return None,
    }
    let mut name = [0u8; 10];
    for (d, c) in name.iter_mut().zip(&b[..n]) {
        *d = c.to_ascii_lowercase();
    }
    let name = std::str::from_utf8(&name[..n]).ok()?;
    (ELEMENTS.contains(&name) || SKIP.contains(&name) || BLOCK.contains(&name)).then_some(n)
}

/// `<` that does not open a known element, comment or closing tag becomes
/// `&lt;`, so the parser keeps `<AMERICAN EXPRESS CO>` as text.
fn protect_text_brackets(html: &str) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    let stray: Vec<usize> = memchr::memchr_iter(b'<', b)
        .filter(|&i| matches!(tag_at(&b[i + 1..]), Tag::Text))
        .collect();
    if stray.is_empty() {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 3 * stray.len());
    let mut from = 0;
    for i in stray {
        out.push_str(&html[from..i]);
        out.push_str("&lt;");
        from = i + 1;
    }
    out.push_str(&html[from..]);
    std::borrow::Cow::Owned(out)
}

/// How an HTML fragment was turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendering {
    /// By the HTML5 parser.
    Parsed,
    /// By the linear tag stripper, because the markup was over the parser's
    /// budget ([`MAX_DEPTH`], [`MAX_TAGS`]).
    Stripped,
}

/// Deepest estimated element nesting the HTML5 parser is given. Its tree
/// builder checks "in scope" and reconstructs formatting elements over the
/// stack of open elements, so its cost grows with depth times tags; real
/// articles nest a few dozen levels.
pub const MAX_DEPTH: usize = 256;
/// Most tags the HTML5 parser is given (a 1 MB page of real markup has a
/// few thousand to tens of thousands).
pub const MAX_TAGS: usize = 100_000;

/// The markup's cost to the parser, estimated in one linear pass over the
/// same tag classification the parser will see: tags of known elements
/// (unknown ones are escaped to text first) and the nesting depth they
/// build, counting elements whose end tag may be omitted and void elements
/// as not nesting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MarkupCost {
    pub tags: usize,
    pub max_depth: usize,
}

pub fn markup_cost(html: &str) -> MarkupCost {
    let b = html.as_bytes();
    let (mut cost, mut depth) = (MarkupCost::default(), 0usize);
    for i in memchr::memchr_iter(b'<', b) {
        let rest = &b[i + 1..];
        match tag_at(rest) {
            Tag::Text | Tag::Declaration => {}
            Tag::Close => {
                cost.tags += 1;
                if nests(&rest[1..]) {
                    depth = depth.saturating_sub(1);
                }
            }
            Tag::Open { .. } => {
                cost.tags += 1;
                if nests(rest) && !self_closing(rest) {
                    depth += 1;
                    cost.max_depth = cost.max_depth.max(depth);
                }
            }
        }
    }
    cost
}

impl MarkupCost {
    pub fn within_budget(&self) -> bool {
        self.tags <= MAX_TAGS && self.max_depth <= MAX_DEPTH
    }
}

/// Whether the element named at the start of `b` nests: not void, and its
/// end tag is not optional (`<p>`, `<li>` and table cells close themselves).
fn nests(b: &[u8]) -> bool {
    let n = b.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    let name = b[..n].to_ascii_lowercase();
    !matches!(
        &name[..],
        b"br"
            | b"img"
            | b"hr"
            | b"input"
            | b"meta"
            | b"link"
            | b"wbr"
            | b"col"
            | b"area"
            | b"base"
            | b"source"
            | b"embed"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"tr"
            | b"td"
            | b"th"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"colgroup"
            | b"caption"
    )
}

/// `<x ... />`: the tag ends in `/>` before the next `<`.
fn self_closing(rest: &[u8]) -> bool {
    let end = memchr::memchr2(b'>', b'<', rest).unwrap_or(rest.len());
    rest.get(end) == Some(&b'>') && end > 0 && rest[end - 1] == b'/'
}

/// Renders an HTML fragment or document to text. Paragraph-level elements
/// are separated by a blank line, `<br>` by a newline.
pub fn html_to_text(html: &str) -> String {
    render(html).0
}

/// Renders an HTML fragment to text, by the HTML5 parser when the markup is
/// within its budget, else by [`strip_tags`] (linear in the input).
pub fn render(html: &str) -> (String, Rendering) {
    if !markup_cost(html).within_budget() {
        return (strip_tags(html), Rendering::Stripped);
    }
    let doc = Html::parse_fragment(&protect_text_brackets(html));
    let mut out = String::with_capacity(html.len());
    // Iterative: the tree may be as deep as the budget allows, and a
    // recursive walk would spend a stack frame per level.
    let mut skipping = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(t) if skipping == 0 => out.push_str(t),
                Node::Element(e) => {
                    let name = e.name();
                    if skipping > 0 || SKIP.contains(&name) {
                        skipping += 1;
                    } else if name == "br" {
                        out.push('\n');
                    } else if BLOCK.contains(&name) {
                        out.push_str("\n\n");
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if skipping > 0 {
                        skipping -= 1;
                    } else if BLOCK.contains(&e.name()) {
                        out.push_str("\n\n");
                    }
                }
            }
        }
    }
    (out, Rendering::Parsed)
}

/// Text of markup too costly for the parser, in one linear pass: tags of
/// known elements go (blocks become paragraph breaks, `<br>` a line break),
/// comments and the content of skipped elements (`<script>`, `<style>`, …)
/// go, the common entities are decoded, everything else is kept as text.
pub fn strip_tags(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    // The input in lower case, made once when a skipped element needs its
    // end tag found.
    let mut lower: Option<Vec<u8>> = None;
    let mut i = 0;
    while let Some(off) = memchr::memchr2(b'<', b'&', &b[i..]) {
        let at = i + off;
        out.push_str(&html[i..at]);
        if b[at] == b'&' {
            let (text, used) = entity_at(&html[at..]);
            out.push_str(text.as_deref().unwrap_or("&"));
            i = at + used.max(1);
            continue;
        }
        let rest = &b[at + 1..];
        i = match tag_at(rest) {
            Tag::Text => {
                out.push('<');
                at + 1
            }
            Tag::Declaration if rest.starts_with(b"!--") => {
                match memchr::memmem::find(&rest[3..], b"-->") {
                    Some(e) => at + 1 + 3 + e + 3,
                    None => b.len(),
                }
            }
            Tag::Declaration => tag_end(b, at),
            Tag::Close => {
                if BLOCK.contains(&lower_name(&rest[1..]).as_str()) {
                    out.push_str("\n\n");
                }
                tag_end(b, at)
            }
            Tag::Open { .. } => {
                let name = lower_name(rest);
                let end = tag_end(b, at);
                if name == "br" {
                    out.push('\n');
                    end
                } else if SKIP.contains(&name.as_str()) {
                    // Up to the element's end tag (any case), or the end.
                    let lower = lower.get_or_insert_with(|| b.to_ascii_lowercase());
                    let close = format!("</{name}");
                    match memchr::memmem::find(&lower[end..], close.as_bytes()) {
                        Some(e) => tag_end(b, end + e),
                        None => b.len(),
                    }
                } else {
                    if BLOCK.contains(&name.as_str()) {
                        out.push_str("\n\n");
                    }
                    end
                }
            }
        };
    }
    out.push_str(&html[i..]);
    out
}

/// Just past the `>` that closes the tag starting at `at` (the end of the
/// input when it never closes).
fn tag_end(b: &[u8], at: usize) -> usize {
    memchr::memchr(b'>', &b[at..]).map_or(b.len(), |e| at + e + 1)
}

fn lower_name(b: &[u8]) -> String {
    let n = b.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    String::from_utf8_lossy(&b[..n]).to_ascii_lowercase()
}

/// The entity at the start of `s` (which starts with `&`): its text and
/// length, or `None` when it is not one the stripper knows.
fn entity_at(s: &str) -> (Option<String>, usize) {
    let b = s.as_bytes();
    let Some(semi) = b.iter().take(12).position(|&c| c == b';') else {
        return (None, 1);
    };
    let name = &s[1..semi];
    let named = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" | "#39" => Some('\''),
        "nbsp" => Some('\u{00A0}'),
        _ => None,
    };
    let c = named.or_else(|| {
        let num = name.strip_prefix('#')?;
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        Some(
            char::from_u32(code)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{FFFD}'),
        )
    });
    match c {
        Some(c) => (Some(c.to_string()), semi + 1),
        None => (None, 1),
    }
}

const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "head", "iframe", "svg", "canvas", "object",
    "embed", "button", "select", "form", "nav",
];

/// Inline and structural elements that are neither skipped nor blocks.
const ELEMENTS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "body", "br", "caption", "cite", "code", "col",
    "colgroup", "data", "del", "dfn", "em", "font", "html", "i", "img", "input", "ins", "kbd",
    "label", "link", "map", "mark", "meta", "picture", "q", "s", "samp", "small", "source", "span",
    "strike", "strong", "sub", "summary", "details", "sup", "tbody", "td", "tfoot", "th", "thead",
    "time", "title", "tt", "u", "var", "video", "audio", "wbr", "center", "area", "base",
];

const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "main",
    "blockquote",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "pre",
    "figure",
    "figcaption",
    "hr",
    "address",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_entities_and_scripts() {
        let t = html_to_text("<p>Talks <b>resumed</b> in Doha &amp; Cairo.</p><script>var x = '<p>no</p>';</script><p>Second.</p>");
        assert!(t.contains("Talks resumed in Doha & Cairo."));
        assert!(t.contains("Second."));
        assert!(!t.contains("var x"));
        let first = t.find("Cairo.").unwrap();
        assert!(t[first..].contains("\n\n"), "paragraphs stay apart: {t:?}");
    }

    #[test]
    fn detects_markup_but_not_prose() {
        assert!(looks_like_html("<p>x</p>"));
        assert!(looks_like_html("a &amp; b"));
        assert!(!looks_like_html("profits rose 5% as x < 3 and y > 2"));
        assert!(looks_like_html("<P>Old page.</P>"));
        assert!(looks_like_html("line<br/>break"));
        assert!(looks_like_html("<a href=\"x\">link</a>"));
        assert!(looks_like_html("<!-- c -->text"));
    }

    #[test]
    fn wire_angle_brackets_are_text_not_tags() {
        // Reuters writes company names and tickers in angle brackets.
        let wire =
            "Shares of <AMERICAN EXPRESS CO> rose, <BP> and <I> said; <Bank of Boston Corp> too.";
        assert!(!looks_like_html(wire));
        // Inside real HTML they survive as text as well.
        let t = html_to_text("<p>Shares of <AMERICAN EXPRESS CO> rose.</p><p>x < 3</p>");
        assert!(t.contains("Shares of <AMERICAN EXPRESS CO> rose."), "{t:?}");
        assert!(t.contains("x < 3"), "{t:?}");
    }

    /// `depth` nested `<tag>` elements around one word, closed again.
    fn nested(tag: &str, depth: usize) -> String {
        format!(
            "{}deep{}",
            format!("<{tag}>").repeat(depth),
            format!("</{tag}>").repeat(depth)
        )
    }

    #[test]
    fn fifty_thousand_nested_divs_render_without_exhausting_the_stack() {
        // 250 KB: under max_message_bytes. A recursive walk of the parsed
        // tree overflows a 2 MB thread stack long before the end.
        let html = nested("div", 50_000);
        let (text, how) = render(&html);
        assert_eq!(how, Rendering::Stripped);
        assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["deep"]);
    }

    #[test]
    fn the_deepest_tree_the_parser_is_given_renders_on_a_small_stack() {
        // Within the budget the parser runs, and walking its tree takes no
        // stack per level: 64 KB of stack suffice.
        let html = nested("div", MAX_DEPTH);
        let (text, how) = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || render(&html))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(how, Rendering::Parsed);
        assert_eq!(text.trim(), "deep");
    }

    #[test]
    fn the_price_counts_nesting_not_self_closing_elements() {
        assert_eq!(
            markup_cost("<div><p>a<p>b<br/><img src=x></div>"),
            MarkupCost {
                tags: 6,
                max_depth: 1
            }
        );
        assert_eq!(markup_cost(&nested("span", 300)).max_depth, 300);
        assert_eq!(markup_cost("<AMERICAN EXPRESS CO> x < 3").tags, 0);
        assert!(!markup_cost(&nested("b", MAX_DEPTH + 1)).within_budget());
        assert!(markup_cost(&"<p>para</p>".repeat(10_000)).within_budget());
    }

    #[test]
    fn the_stripper_keeps_what_the_parser_keeps() {
        let html = "<p>Talks <b>resumed</b> in Doha &amp; Cairo.</p><script>var x = '<p>no</p>';</SCRIPT><!-- c --><p>Second&#8217;s &#x41;<br>line</p><p>Shares of <AMERICAN EXPRESS CO> rose &foo; x < 3.</p>";
        let clean = |s: &str| crate::stages::normalize::clean_text(s);
        assert_eq!(clean(&strip_tags(html)), clean(&html_to_text_parsed(html)));
        assert_eq!(
            clean(&strip_tags(html)),
            "Talks resumed in Doha & Cairo.\n\nSecond\u{2019}s A line\n\nShares of <AMERICAN EXPRESS CO> rose &foo; x < 3."
        );
        // Unterminated constructs end the text instead of looping.
        assert_eq!(strip_tags("a<!-- never closed"), "a");
        assert_eq!(strip_tags("a<script>never closed"), "a");
        assert_eq!(strip_tags("a<div class='x'"), "a\n\n");
    }

    fn html_to_text_parsed(html: &str) -> String {
        let (text, how) = render(html);
        assert_eq!(how, Rendering::Parsed);
        text
    }
}
