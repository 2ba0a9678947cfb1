//! A JSON Schema validator for the record schemas in `schemas/`, shared by the record writers'
//! unit test (src/stages/record/schema_tests.rs) and the golden tests (tests/golden.rs), which
//! both include this file by path, so every record is held to the same full check.
//!
//! It covers the keywords the schemas use (`type`, `enum`, `const`, `properties`, `required`,
//! `additionalProperties: false`, `items`, `minItems`/`maxItems`, `minLength`/`maxLength`,
//! `minimum`, `maximum`, `exclusiveMinimum`, `pattern`, `oneOf`, and `$ref` within a schema or
//! to a sibling file); a keyword it does not know fails the test, so a schema cannot silently
//! outgrow it.

use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// The schemas under `schemas/`, by file name.
pub struct Schemas(HashMap<String, Value>);

impl Schemas {
    pub fn load() -> Schemas {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        let mut map = HashMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            map.insert(name, serde_json::from_str(&text).unwrap());
        }
        Schemas(map)
    }

    /// The errors of `v` against `schema` (found in file `file`), each with
    /// the JSON path `at`.
    fn check(&self, file: &str, schema: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
        let Some(obj) = schema.as_object() else {
            errs.push(format!("{at}: schema is not an object"));
            return;
        };
        for (key, want) in obj {
            match key.as_str() {
                "$schema" | "$id" | "$defs" | "$comment" | "title" | "description" | "format" => {}
                "$ref" => {
                    let r = want.as_str().unwrap();
                    let (f, pointer) = r.split_once('#').unwrap_or((r, ""));
                    let f = if f.is_empty() { file } else { f };
                    let target = self.0[f].pointer(pointer).unwrap_or_else(|| {
                        panic!("{file}: unresolved $ref {r}");
                    });
                    self.check(f, target, v, at, errs);
                }
                "type" => {
                    let types: Vec<&str> = match want {
                        Value::Array(a) => a.iter().map(|t| t.as_str().unwrap()).collect(),
                        t => vec![t.as_str().unwrap()],
                    };
                    if !types.iter().any(|t| has_type(v, t)) {
                        errs.push(format!("{at}: {v} is not of type {want}"));
                    }
                }
                "enum" if !want.as_array().unwrap().contains(v) => {
                    errs.push(format!("{at}: {v} not in {want}"));
                }
                "const" if want != v => errs.push(format!("{at}: {v} is not {want}")),
                "enum" | "const" => {}
                "properties" => {
                    if let Some(o) = v.as_object() {
                        for (k, sub) in want.as_object().unwrap() {
                            if let Some(x) = o.get(k) {
                                self.check(file, sub, x, &format!("{at}.{k}"), errs);
                            }
                        }
                    }
                }
                "required" => {
                    if let Some(o) = v.as_object() {
                        for k in want.as_array().unwrap() {
                            if !o.contains_key(k.as_str().unwrap()) {
                                errs.push(format!("{at}: no field {k}"));
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    assert_eq!(want, &Value::Bool(false), "{file}: {at}");
                    let props = obj.get("properties").and_then(Value::as_object);
                    if let Some(o) = v.as_object() {
                        for k in o.keys() {
                            if !props.is_some_and(|p| p.contains_key(k)) {
                                errs.push(format!("{at}: field {k} not in the schema"));
                            }
                        }
                    }
                }
                "items" => {
                    for (i, x) in v.as_array().into_iter().flatten().enumerate() {
                        self.check(file, want, x, &format!("{at}[{i}]"), errs);
                    }
                }
                "minItems" | "maxItems" => {
                    if let Some(a) = v.as_array() {
                        let n = want.as_u64().unwrap() as usize;
                        if (key == "minItems" && a.len() < n) || (key == "maxItems" && a.len() > n)
                        {
                            errs.push(format!("{at}: {} items, {key} {n}", a.len()));
                        }
                    }
                }
                "minLength" | "maxLength" => {
                    if let Some(n) = v.as_str().map(|s| s.chars().count() as u64) {
                        let bound = want.as_u64().unwrap();
                        if (key == "minLength" && n < bound) || (key == "maxLength" && n > bound) {
                            errs.push(format!("{at}: {v} beyond {key} {bound}"));
                        }
                    }
                }
                "minimum" | "maximum" | "exclusiveMinimum" => {
                    if let (Some(x), Some(bound)) = (v.as_f64(), want.as_f64()) {
                        let out = match key.as_str() {
                            "minimum" => x < bound,
                            "maximum" => x > bound,
                            _ => x <= bound,
                        };
                        if out {
                            errs.push(format!("{at}: {x} beyond {key} {bound}"));
                        }
                    }
                }
                "pattern" => {
                    let re = regex::Regex::new(want.as_str().unwrap()).unwrap();
                    if v.as_str().is_some_and(|s| !re.is_match(s)) {
                        errs.push(format!("{at}: {v} does not match {want}"));
                    }
                }
                "oneOf" => {
                    let matching = want
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|sub| {
                            let mut e = Vec::new();
                            self.check(file, sub, v, at, &mut e);
                            e.is_empty()
                        })
                        .count();
                    if matching != 1 {
                        errs.push(format!("{at}: {v} matches {matching} of oneOf"));
                    }
                }
                other => panic!("{file}: {at}: the schema check does not know `{other}`"),
            }
        }
    }

    /// The errors of `v` against schema file `file`.
    pub fn errors(&self, file: &str, v: &Value) -> Vec<String> {
        let mut errs = Vec::new();
        self.check(file, &self.0[file], v, "$", &mut errs);
        errs
    }

    /// Checks `record` against schema file `file`; panics with every error.
    pub fn assert_valid(&self, file: &str, record: &[u8]) {
        let v: Value = serde_json::from_slice(record).unwrap();
        let errs = self.errors(file, &v);
        assert!(errs.is_empty(), "{file}:\n{}\nrecord: {v}", errs.join("\n"));
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64(),
        other => panic!("unknown JSON Schema type {other}"),
    }
}
