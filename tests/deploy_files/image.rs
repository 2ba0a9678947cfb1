//! The Dockerfile (multi-stage, non-root, exposes the metrics port) and the docs that go with
//! the deployment: docs/metrics.md documents every metric, docs/deployment.md covers scaling.

use super::common::*;

#[test]
fn dockerfile_is_multi_stage_non_root_and_exposes_the_metrics_port() {
    let text = read("Dockerfile");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .collect();
    let froms = lines.iter().filter(|l| l.starts_with("FROM ")).count();
    assert!(froms >= 2, "multi-stage build");
    assert!(
        text.contains("cmake") && text.contains("build-essential"),
        "toolchain for librdkafka"
    );
    assert!(lines.contains(&format!("EXPOSE {METRICS_PORT}").as_str()));
    let user = lines
        .iter()
        .rev()
        .find(|l| l.starts_with("USER "))
        .expect("USER")
        .trim_start_matches("USER ");
    assert!(!["root", "0", "0:0"].contains(&user), "runs as root");
    // The binary looks for data/ at ../share/newsflow/data from itself
    // (and carries an embedded copy): the image installs it there.
    let binary = lines
        .iter()
        .find_map(|l| {
            l.strip_prefix("COPY --from=builder ")
                .and_then(|rest| rest.split_whitespace().nth(1))
        })
        .expect("the binary is copied from the builder");
    let bin_dir = std::path::Path::new(binary).parent().unwrap();
    let share = bin_dir.parent().unwrap().join("share/newsflow/data");
    assert!(
        lines.contains(&format!("COPY data/ {}/", share.display()).as_str()),
        "data/ must be installed at {}",
        share.display()
    );
    for dir in ["config/", "data/"] {
        assert!(
            lines.iter().any(|l| l.starts_with(&format!("COPY {dir}"))),
            "image lacks {dir}"
        );
    }
    let env = lines
        .iter()
        .find(|l| l.starts_with("ENV NEWSFLOW_"))
        .expect("ENV NEWSFLOW_METRICS__LISTEN");
    let (name, value) = env.trim_start_matches("ENV ").split_once('=').unwrap();
    check_env(
        &BTreeMap::from([(name.to_string(), value.to_string())]),
        "Dockerfile",
    );
}

#[test]
fn docs_cover_every_metric_and_scaling() {
    let metrics_md = read("docs/metrics.md");
    for name in catalogue().keys() {
        assert!(
            metrics_md.contains(&format!("`{name}`")),
            "docs/metrics.md does not document {name}"
        );
    }
    let deployment = read("docs/deployment.md").to_lowercase();
    assert!(
        deployment.contains("partitions") && deployment.contains("scaling"),
        "scaling notes"
    );
}
