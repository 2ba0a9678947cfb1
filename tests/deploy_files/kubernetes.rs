//! deploy/kubernetes: the Deployment's selector, metrics port, probes (/health, /ready),
//! resources, non-root user, environment overrides and config mount agree with the service, and
//! the termination grace period outlasts the shutdown deadline. deploy/kubernetes-exactly-once:
//! the same pod as a StatefulSet with exactly-once delivery.

use super::common::*;

/// (kind, document) for every manifest in deploy/kubernetes.
fn k8s_docs() -> Vec<(String, Yaml)> {
    docs_in("deploy/kubernetes")
}

/// (kind, document) for every manifest in the folder `rel`.
fn docs_in(rel: &str) -> Vec<(String, Yaml)> {
    let dir = root().join(rel);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| yaml_docs(f))
        .map(|d| {
            assert!(
                d["apiVersion"].is_string(),
                "manifest without apiVersion: {d:?}"
            );
            (s(&d["kind"]).to_string(), d)
        })
        .collect()
}

fn one<'a>(docs: &'a [(String, Yaml)], kinds: &[&str]) -> &'a Yaml {
    let found: Vec<_> = docs
        .iter()
        .filter(|(k, _)| kinds.contains(&k.as_str()))
        .collect();
    assert_eq!(found.len(), 1, "expected one of {kinds:?}");
    &found[0].1
}

/// The Kustomization of folder `rel` and the resources it lists, which must name every other
/// file of the folder.
fn kustomized<'a>(docs: &'a [(String, Yaml)], rel: &str) -> (&'a Yaml, BTreeSet<String>) {
    let kust = one(docs, &["Kustomization"]);
    let listed: BTreeSet<String> = kust["resources"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|r| s(r).to_string())
        .collect();
    for f in std::fs::read_dir(root().join(rel)).unwrap() {
        let name = f.unwrap().file_name().into_string().unwrap();
        assert!(
            name == "kustomization.yaml" || listed.contains(&name),
            "{name} not in {rel}/kustomization.yaml"
        );
    }
    (kust, listed)
}

/// Whether every label of `match_labels` is on `labels`.
fn selects(match_labels: &Yaml, labels: &Yaml) -> bool {
    let m = match_labels.as_mapping().expect("a label selector");
    !m.is_empty() && m.iter().all(|(k, v)| &labels[k] == v)
}

#[test]
fn kubernetes_manifests_agree_with_the_service() {
    let docs = k8s_docs();
    let dep = one(&docs, &["Deployment"]);
    let pod = &dep["spec"]["template"];
    let labels = &pod["metadata"]["labels"];
    assert!(selects(&dep["spec"]["selector"]["matchLabels"], labels));
    let c = &pod["spec"]["containers"][0];
    let port = c["ports"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|p| p["containerPort"] == METRICS_PORT as u64)
        .expect("container port 9898");
    let port_name = s(&port["name"]);
    let probe_port = |probe: &Yaml| {
        probe["httpGet"]["port"] == port_name || probe["httpGet"]["port"] == METRICS_PORT as u64
    };
    assert_eq!(s(&c["livenessProbe"]["httpGet"]["path"]), "/health");
    assert_eq!(s(&c["readinessProbe"]["httpGet"]["path"]), "/ready");
    assert!(
        probe_port(&c["livenessProbe"]) && probe_port(&c["readinessProbe"]),
        "probes on the metrics port"
    );
    for r in ["requests", "limits"] {
        assert!(
            c["resources"][r]["cpu"].is_string() && c["resources"][r]["memory"].is_string(),
            "resources.{r}"
        );
    }
    let grace = pod["spec"]["terminationGracePeriodSeconds"]
        .as_u64()
        .expect("terminationGracePeriodSeconds");
    let env: BTreeMap<String, String> = c["env"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| (s(&e["name"]).to_string(), s(&e["value"]).to_string()))
        .collect();
    check_env(&env, "Deployment");
    assert!(pod["spec"]["securityContext"]["runAsNonRoot"] == true);

    let args: Vec<String> = serde_yaml::from_value(c["args"].clone()).unwrap();
    assert_eq!(args[0], "run");
    let config_path = &args[args.iter().position(|a| a == "--config").expect("--config") + 1];
    let cm = one(&docs, &["ConfigMap"]);
    let (dir, file) = config_path.rsplit_once('/').unwrap();
    let mount = c["volumeMounts"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|m| m["mountPath"] == dir)
        .expect("config mount");
    let vol = pod["spec"]["volumes"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|v| v["name"] == mount["name"])
        .unwrap();
    assert_eq!(vol["configMap"]["name"], cm["metadata"]["name"]);
    let toml_text = s(&cm["data"][file]);
    let cfg: toml::Table =
        toml::from_str(toml_text).expect("ConfigMap newsflow.toml is valid TOML");
    let keys = flatten(&cfg, "");
    for k in &keys {
        assert_valid_config_key(k, "ConfigMap newsflow.toml");
    }
    let deadline = cfg
        .get("shutdown")
        .and_then(|t| t.get("deadline_secs"))
        .and_then(toml::Value::as_integer)
        .map_or(SHUTDOWN_DEADLINE_SECS, |d| d as u64);
    assert!(
        grace > deadline && grace > SHUTDOWN_DEADLINE_SECS,
        "grace period {grace}s must exceed the {deadline}s shutdown deadline"
    );
    assert_eq!(
        port_of(cfg["metrics"]["listen"].as_str().unwrap()),
        METRICS_PORT
    );

    let svc = one(&docs, &["Service"]);
    assert!(
        selects(&svc["spec"]["selector"], labels),
        "Service selects newsflow"
    );
    let sp = &svc["spec"]["ports"][0];
    assert!(sp["targetPort"] == port_name || sp["targetPort"] == METRICS_PORT as u64);
    let mon = one(&docs, &["PodMonitor", "ServiceMonitor"]);
    let target_labels = if s(&mon["kind"]) == "PodMonitor" {
        labels
    } else {
        &svc["metadata"]["labels"]
    };
    assert!(
        selects(&mon["spec"]["selector"]["matchLabels"], target_labels),
        "monitor selects newsflow"
    );
    let ep = &mon["spec"]["podMetricsEndpoints"]
        .as_sequence()
        .or(mon["spec"]["endpoints"].as_sequence())
        .unwrap()[0];
    assert_eq!(s(&ep["port"]), port_name);
    assert_eq!(s(&ep["path"]), "/metrics");
    let pdb = one(&docs, &["PodDisruptionBudget"]);
    assert!(
        selects(&pdb["spec"]["selector"]["matchLabels"], labels),
        "PDB selects newsflow"
    );

    kustomized(&docs, "deploy/kubernetes");
    if let Ok(text) = std::fs::read_to_string(root().join("config/newsflow.toml")) {
        let default = flatten(&toml::from_str(&text).expect("config/newsflow.toml"), "");
        for k in keys.iter().chain(
            env.keys()
                .filter_map(|n| env_to_key(n))
                .collect::<Vec<_>>()
                .iter(),
        ) {
            assert!(
                default.contains(k),
                "{k} is set in deploy files but absent from config/newsflow.toml"
            );
        }
    } else {
        eprintln!(
            "config/newsflow.toml absent: skipped the cross-check against the embedded default"
        );
    }
}

/// The environment of a container, by name.
fn env_of(c: &Yaml) -> BTreeMap<String, String> {
    c["env"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| (s(&e["name"]).to_string(), s(&e["value"]).to_string()))
        .collect()
}

#[test]
fn the_exactly_once_overlay_runs_the_same_pod_as_a_statefulset() {
    let base = k8s_docs();
    let dep = one(&base, &["Deployment"]);
    let docs = docs_in("deploy/kubernetes-exactly-once");
    let sts = one(&docs, &["StatefulSet"]);
    assert_eq!(sts["metadata"]["name"], dep["metadata"]["name"]);
    let pod = &sts["spec"]["template"];
    assert!(selects(
        &sts["spec"]["selector"]["matchLabels"],
        &pod["metadata"]["labels"]
    ));
    assert_eq!(s(&sts["spec"]["podManagementPolicy"]), "Parallel");
    let headless = one(&docs, &["Service"]);
    assert_eq!(sts["spec"]["serviceName"], headless["metadata"]["name"]);
    assert_eq!(s(&headless["spec"]["clusterIP"]), "None");
    assert!(selects(
        &headless["spec"]["selector"],
        &pod["metadata"]["labels"]
    ));

    // The same pod as the Deployment's, but for its environment.
    let strip_env = |pod: &Yaml| {
        let mut p = pod.clone();
        p["spec"]["containers"][0]
            .as_mapping_mut()
            .unwrap()
            .remove("env");
        p
    };
    assert_eq!(
        strip_env(pod),
        strip_env(&dep["spec"]["template"]),
        "the StatefulSet's pod drifted from the Deployment's"
    );
    let env = env_of(&pod["spec"]["containers"][0]);
    check_env(&env, "StatefulSet");
    let mut expected = env_of(&dep["spec"]["template"]["spec"]["containers"][0]);
    expected.insert("NEWSFLOW_PIPELINE__DELIVERY".into(), "exactly-once".into());
    assert_eq!(env, expected);
    assert!(
        !env.contains_key("NEWSFLOW_PIPELINE__TRANSACTIONAL_ID"),
        "the transactional id comes from the stable pod name"
    );

    let (kust, listed) = kustomized(&docs, "deploy/kubernetes-exactly-once");
    assert!(
        listed.contains("../kubernetes"),
        "built on deploy/kubernetes"
    );
    let patch = &kust["patches"][0];
    assert_eq!(s(&patch["target"]["kind"]), "Deployment");
    assert!(s(&patch["patch"]).contains("$patch: delete"));

    // Built as kubectl would apply it: a StatefulSet and no Deployment.
    match std::process::Command::new("kubectl")
        .args(["kustomize"])
        .arg(root().join("deploy/kubernetes-exactly-once"))
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "kubectl kustomize: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let built = String::from_utf8(out.stdout).unwrap();
            let kinds: Vec<&str> = built
                .lines()
                .filter_map(|l| l.strip_prefix("kind: "))
                .collect();
            assert!(kinds.contains(&"StatefulSet"), "{kinds:?}");
            assert!(!kinds.contains(&"Deployment"), "{kinds:?}");
        }
        Err(e) => eprintln!("kubectl not found ({e}): the kustomize build was not checked"),
    }
}
