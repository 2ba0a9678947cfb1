//! The adversarial corpus: inputs built to find the worst case of every
//! stage, generated here (no large files in the repository), each with the
//! outcome it must get. Shared by the adversarial tests (tests/adversarial.rs)
//! and the benchmark (examples/adversarial_bench.rs), which include this file
//! by path.
//!
//! `size` is the target payload size in bytes; every case stays within it,
//! so a corpus built for `max_message_bytes` is entirely under that limit.
//! The expected outcomes are those at 256 KB, the size the tests use: the
//! records of an article grow with its text (entities, quotes, casualties,
//! dates), and from about 100 KB of dense prose on they pass the record
//! budget (`stages::budget::MAX_RECORD_BYTES`), so at 1 MB (the benchmark)
//! more of the text-heavy cases are `budget_exceeded`. The classes that
//! exercise extraction on an accepted article use a fixed 32 KB of text.
#![allow(dead_code)]

use serde_json::json;

/// What newsflow must do with a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// An article record with id `adv-<name>`; `fallback`: rendered by the
    /// linear tag stripper (`html_fallback: true`).
    Article { fallback: bool },
    /// A dead letter of this error class.
    Dlq(&'static str),
}

pub struct Case {
    pub name: &'static str,
    pub payload: Vec<u8>,
    pub expect: Expect,
}

const ARTICLE: Expect = Expect::Article { fallback: false };
const STRIPPED: Expect = Expect::Article { fallback: true };

/// Shallow markup with `tags` tags: stripped when over the parser's tag budget.
fn over_tags(tags: usize) -> Expect {
    Expect::Article {
        fallback: tags > newsflow::stages::html::MAX_TAGS,
    }
}

/// A sentence of ordinary news prose, so the extract stage has work.
pub const PROSE: &str = "Police in Nairobi detained 12 protesters on Monday after clashes with security forces, officials said. ";

/// Text size of the cases that exercise extraction on an accepted article.
const TEXT: usize = 32 * 1024;

/// `s` repeated to about `n` bytes.
fn fill(s: &str, n: usize) -> String {
    s.repeat((n / s.len()).max(1))
}

/// `depth` nested `open`/`close` pairs around a sentence, about `n` bytes.
fn nest(open: &str, close: &str, n: usize) -> String {
    let depth = (n.saturating_sub(PROSE.len()) / (open.len() + close.len())).max(1);
    format!("{}{PROSE}{}", open.repeat(depth), close.repeat(depth))
}

fn article(name: &'static str, body: String, expect: Expect) -> Case {
    let payload = json!({"id": format!("adv-{name}"), "title": name, "body": body});
    Case {
        name,
        payload: payload.to_string().into_bytes(),
        expect,
    }
}

fn raw(name: &'static str, payload: Vec<u8>, expect: Expect) -> Case {
    Case {
        name,
        payload,
        expect,
    }
}

/// Every case, sized for payloads of about `size` bytes (at least 64 KB).
pub fn corpus(size: usize) -> Vec<Case> {
    let n = size.max(64 * 1024) - 512;
    let body_json = |body: &str| serde_json::to_string(body).unwrap();
    let mut cases = vec![
        article("nested_div", nest("<div>", "</div>", n), STRIPPED),
        article("nested_span", nest("<span>", "</span>", n), STRIPPED),
        article(
            "nested_table",
            nest("<table><tr><td>", "</td></tr></table>", n),
            STRIPPED,
        ),
        article("nested_ul_li", nest("<ul><li>", "</li></ul>", n), STRIPPED),
        article("nested_b_i", nest("<b><i>", "</i></b>", n), STRIPPED),
        // `<p>` closes itself: no nesting, but two tags per 7 bytes.
        article("nested_p", nest("<p>", "</p>", n), over_tags(2 * n / 7)),
        article(
            "nested_blockquote",
            nest("<blockquote>", "</blockquote>", n),
            STRIPPED,
        ),
        article("nested_a", nest("<a href=x>", "</a>", n), STRIPPED),
        // Formatting elements never closed: the parser reconstructs them.
        article("unclosed_b", fill("<b>Talks went on. ", n), STRIPPED),
        // Shallow but many tags: within the depth budget, over the tag budget
        // at 1 MB.
        article(
            "flat_tags",
            fill("<span>Word.</span> ", n),
            over_tags(2 * n / 19),
        ),
        // One tag with a huge number of attributes.
        article(
            "many_attributes",
            format!("<div {}>{PROSE}</div>", fill("a=1 ", n - PROSE.len() - 20)),
            ARTICLE,
        ),
        article(
            "many_scripts",
            fill("<script>x</script>Talks went on. ", n),
            over_tags(2 * n / 34),
        ),
        article(
            "unclosed_comment",
            format!("{PROSE}<!-- {}", fill("never closed ", n - PROSE.len())),
            ARTICLE,
        ),
        // Unknown elements are text: one sentence of `<`, `foo`, `>` tokens,
        // over the event coder's budget.
        article(
            "unknown_tags",
            nest("<foo>", "</foo>", n),
            Expect::Dlq("budget_exceeded"),
        ),
        article("huge_token", "a".repeat(n), ARTICLE),
        article("million_sentences", fill("Ab. ", n), ARTICLE),
        article(
            "one_endless_sentence",
            fill("police detained protesters and ", n),
            Expect::Dlq("budget_exceeded"),
        ),
        article("prose", fill(PROSE, TEXT), ARTICLE),
        // Every sentence yields entities, a casualty and a date: the article
        // record would be four times the input, over the record budget.
        article(
            "records_over_budget",
            fill(PROSE, n),
            Expect::Dlq("budget_exceeded"),
        ),
        article(
            "entities",
            fill("&amp; &quot;x&quot; &#8217; &lt;b&gt; &nbsp;", n),
            ARTICLE,
        ),
        article(
            "quotes",
            fill(
                "\"We will fight,\" he said. \u{201C}No,\u{201D} she said. ",
                TEXT,
            ),
            ARTICLE,
        ),
        article(
            "numbers",
            fill(
                "12,345 killed, 3.5 million displaced, 2026-01-14, 7 of 9. ",
                TEXT,
            ),
            ARTICLE,
        ),
        article(
            "capitalized_names",
            fill(
                "John Smith Of The United Nations Met Vladimir Putin. ",
                TEXT,
            ),
            ARTICLE,
        ),
        article(
            "zero_width_bidi",
            fill(
                "Talks\u{200B}resumed\u{202E} in \u{2066}Doha\u{2069}\u{200D}\u{FEFF}. ",
                TEXT,
            ),
            ARTICLE,
        ),
        article(
            "combining_marks",
            format!("a{}", "\u{0301}".repeat(n / 2)),
            ARTICLE,
        ),
        article(
            "bom_in_body",
            fill("\u{FEFF}Talks resumed. ", n / 2),
            ARTICLE,
        ),
        article(
            "crlf",
            fill("Talks resumed in Doha.\r\n\r\nOfficials said.\r\n", TEXT),
            ARTICLE,
        ),
        article(
            "nul_and_controls",
            fill(
                "Police\u{0} said\u{1} it\u{7} was\u{1b}[31m calm\u{7f}. ",
                TEXT,
            ),
            ARTICLE,
        ),
        article(
            "emoji_and_astral",
            fill("\u{1F600}\u{1F1FA}\u{1F1F8} \u{10348} ", n / 2),
            ARTICLE,
        ),
        article(
            "cjk_without_spaces",
            fill("警方在内罗毕拘留了抗议者", n / 2),
            ARTICLE,
        ),
        article(
            "rtl_arabic",
            fill("اعتقلت الشرطة في نيروبي متظاهرين ", n / 2),
            ARTICLE,
        ),
        article(
            "whitespace_runs",
            format!("a{}b", " \t\n".repeat(n / 5)),
            ARTICLE,
        ),
        article(
            "invisible_only",
            fill("\u{200B}\u{FEFF}", n / 3),
            Expect::Dlq("empty_body"),
        ),
        article(
            "markup_only",
            fill("<p></p><br>", n),
            Expect::Dlq("empty_body"),
        ),
    ];
    let long_url = format!(
        "https://wire.example/{}",
        "a/".repeat(n.min(100_000) / 2 - PROSE.len())
    );
    cases.push(raw(
        "huge_url",
        json!({"id": "adv-huge_url", "url": long_url, "body": PROSE})
            .to_string()
            .into_bytes(),
        ARTICLE,
    ));
    // Found by the `extract` fuzz target: quotation marks whose pairs
    // overlap (a straight quote opened before a curly pair and closed after
    // it) made the quote finder slice the text backwards.
    cases.push(raw(
        "overlapping_quotes",
        json!({"id": "adv-overlapping_quotes", "language": "en", "body": "c \"t\u{201C}n\u{201D}a\"tore"})
            .to_string()
            .into_bytes(),
        ARTICLE,
    ));
    let title = nest("<div>", "</div>", n / 2);
    cases.push(raw(
        "nested_title",
        json!({"id": "adv-nested_title", "title": title, "body": PROSE})
            .to_string()
            .into_bytes(),
        STRIPPED,
    ));
    let extra: serde_json::Map<String, serde_json::Value> = (0..n / 24)
        .map(|i| (format!("k{i:07}"), json!(i)))
        .collect();
    cases.push(raw(
        "huge_extra",
        json!({"id": "adv-huge_extra", "body": PROSE, "extra": extra})
            .to_string()
            .into_bytes(),
        ARTICLE,
    ));
    cases.push(raw(
        "duplicate_keys",
        format!(
            r#"{{"id":"adv-duplicate_keys","body":"first","body":{},"id":"adv-duplicate_keys"}}"#,
            body_json(PROSE)
        )
        .into_bytes(),
        ARTICLE,
    ));
    cases.push(raw(
        "deep_json",
        format!(
            r#"{{"body":"x","x":{}{}}}"#,
            "[".repeat(n / 2),
            "]".repeat(n / 2)
        )
        .into_bytes(),
        Expect::Dlq("invalid_json"),
    ));
    cases.push(raw(
        "lone_surrogate",
        format!(
            r#"{{"id":"adv-lone_surrogate","body":"{}\ud800"}}"#,
            fill("x ", n)
        )
        .into_bytes(),
        Expect::Dlq("invalid_json"),
    ));
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(
        json!({"id": "adv-bom_prefix", "body": PROSE})
            .to_string()
            .as_bytes(),
    );
    cases.push(raw("bom_prefix", bom, Expect::Dlq("invalid_json")));
    let mut bad = format!(r#"{{"id":"adv-invalid_utf8","body":"{}"#, fill("x ", n)).into_bytes();
    bad.extend_from_slice(b"\xff\xfe\"}");
    cases.push(raw("invalid_utf8", bad, Expect::Dlq("invalid_utf8")));
    cases.push(raw(
        "number_for_string",
        br#"{"id":"adv-number_for_string","body":"x","title":12345}"#.to_vec(),
        Expect::Dlq("wrong_type"),
    ));
    cases.push(raw(
        // 10^65535 overflows f64: serde_json calls it out of range.
        "huge_number",
        format!(r#"{{"id":"adv-huge_number","body":{}}}"#, "9".repeat(n)).into_bytes(),
        Expect::Dlq("invalid_json"),
    ));
    cases.push(raw(
        "huge_id",
        json!({"id": "i".repeat(n), "body": PROSE})
            .to_string()
            .into_bytes(),
        Expect::Dlq("invalid_id"),
    ));
    cases.push(raw(
        "huge_string_key",
        format!(
            r#"{{"id":"adv-huge_string_key","body":{},"{}":1}}"#,
            body_json(PROSE),
            "k".repeat(n)
        )
        .into_bytes(),
        ARTICLE,
    ));
    cases
}
