//! HTML to plain text with a real HTML5 parser (html5ever via `scraper`).
//!
//! Regexes cannot tell a `<script>` body from prose or decode every entity;
//! the parser can. Block elements become paragraph breaks so sentences from
//! different paragraphs never run together; script, style and similar
//! non-content elements are skipped.

use scraper::{Html, Node};

/// Cheap test for markup: a `<` followed by a letter, `/` or `!`, or an
/// HTML entity. Plain wire text almost never has either.
pub fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    let tag = b
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'));
    tag || s.contains("&amp;") || s.contains("&nbsp;") || s.contains("&#")
}

/// Renders an HTML fragment or document to text. Paragraph-level elements
/// are separated by a blank line, `<br>` by a newline.
pub fn html_to_text(html: &str) -> String {
    let doc = Html::parse_fragment(html);
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
    }
}
