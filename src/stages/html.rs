//! HTML to plain text with a real HTML5 parser (html5ever via `scraper`).
//!
//! Regexes cannot tell a `<script>` body from prose or decode every entity;
//! the parser can. Block elements become paragraph breaks so sentences from
//! different paragraphs never run together; script, style and similar
//! non-content elements are skipped.

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

/// Renders an HTML fragment or document to text. Paragraph-level elements
/// are separated by a blank line, `<br>` by a newline.
pub fn html_to_text(html: &str) -> String {
    let doc = Html::parse_fragment(&protect_text_brackets(html));
    let mut out = String::with_capacity(html.len());
    walk(doc.tree.root(), &mut out);
    out
}

fn walk(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name) {
                    continue;
                }
                if name == "br" {
                    out.push('\n');
                    continue;
                }
                let block = BLOCK.contains(&name);
                if block {
                    out.push_str("\n\n");
                }
                walk(child, out);
                if block {
                    out.push_str("\n\n");
                }
            }
            _ => walk(child, out),
        }
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
}
