//! The `newsflow` command line: `run`, `produce`, `extract`, `replay`, `create-topics`,
//! `check-config`. Flags are parsed here; the work is the library's (`shell` for the Kafka
//! commands, the `stages` chain for the offline `extract`).

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use newsflow::config::Config;
use newsflow::shell::{kafka, produce, replay, run};
use newsflow::stages::dedup::DedupIndex;
use newsflow::stages::happenings::{Happenings, Report};
use newsflow::stages::route::Target;
use newsflow::stages::{Chain, ChainConfig, Source, Timings};
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// mimalloc instead of the system allocator: loading the dictionaries makes hundreds of
/// thousands of small allocations and each article many short-lived ones; docs/benchmarks.md
/// ("Extract") has the measured effect.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "newsflow",
    version,
    about = "Raw news articles in, deduplicated, coded, enriched records out (Kafka)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the streaming pipeline (a consumer-group member on topics.input).
    Run {
        /// Config file over the embedded default (env overrides apply on top).
        #[arg(long)]
        config: Option<String>,
        /// Publish this JSONL file to the input topic at start.
        #[arg(long)]
        seed: Option<PathBuf>,
        /// Exit 0 once every assigned partition is at its end and nothing
        /// arrived for SECS; print a JSON summary as the last stdout line.
        #[arg(long, value_name = "SECS")]
        exit_when_idle: Option<f64>,
        /// Print every article and event record on stdout as it is
        /// acknowledged (a quick look without a Kafka client).
        #[arg(long)]
        echo: bool,
        /// Benchmark baseline: skip every stage and copy each input message
        /// to the articles topic (same consumer, producer and commit path).
        #[arg(long)]
        passthrough: bool,
        /// Publish the --seed file at most this many messages per second
        /// (for latency measurements below saturation).
        #[arg(long, value_name = "MSGS_PER_SEC")]
        seed_rate: Option<f64>,
        /// Benchmark ladder: run only parse+normalize ("normalize") or
        /// parse+normalize+dedup ("dedup") instead of every stage ("all").
        #[arg(long, value_enum, default_value_t = run::Stages::All, hide = true)]
        stages: run::Stages,
    },
    /// Reprocess a time range of the input topic (a backfill), then stop.
    /// Resumable: run the same command again after an interruption.
    Replay {
        /// First message timestamp included (RFC 3339, YYYY-MM-DD, or ms).
        #[arg(long, value_name = "TIME")]
        from: Option<String>,
        /// First message timestamp excluded; default: the end of the topic
        /// when the replay first started.
        #[arg(long, value_name = "TIME")]
        to: Option<String>,
        /// Start at these offsets instead of --from (only these partitions).
        #[arg(long, value_name = "TOPIC:PARTITION:OFFSET,...")]
        from_offsets: Option<String>,
        #[arg(long)]
        config: Option<String>,
        /// Write to the output topics with this suffix (e.g. .backfill).
        #[arg(long, value_name = "SUFFIX", default_value = "")]
        output_suffix: String,
        /// The replay's consumer group (default: derived from the range, so
        /// the same command resumes). Never the live kafka.group_id.
        #[arg(long)]
        group: Option<String>,
        /// Publish at most this many input messages per second.
        #[arg(long, value_name = "MSGS_PER_SEC")]
        max_rate: Option<f64>,
        /// Dedup memory: "fresh" (empty) or "live" (a read-only snapshot of
        /// the live changelog).
        #[arg(long, value_enum, default_value_t = replay::DedupMode::Fresh)]
        dedup: replay::DedupMode,
    },
    /// Load a JSONL file (or - for stdin) into the input topic.
    Produce {
        file: String,
        #[arg(long)]
        config: Option<String>,
    },
    /// Offline: raw-article JSONL in, one article record per line out. No Kafka.
    Extract {
        /// JSONL file, or - for stdin.
        #[arg(default_value = "-")]
        file: String,
        #[arg(long)]
        config: Option<String>,
        /// The input is one article as plain text, not JSONL.
        #[arg(long)]
        text: bool,
        /// Publication date of a --text article (YYYY-MM-DD or RFC 3339);
        /// relative dates ("yesterday") resolve against it.
        #[arg(long, requires = "text")]
        date: Option<String>,
        /// Print happening records instead of article records: the file's
        /// events counted once (docs/happenings.md).
        #[arg(long)]
        happenings: bool,
    },
    /// Create the configured topics that do not exist yet (the dedup
    /// changelog compacted). For real clusters and test brokers.
    CreateTopics {
        #[arg(long)]
        config: Option<String>,
        #[arg(long, default_value_t = 4)]
        partitions: i32,
        /// Also create the output topics with this suffix (for `replay
        /// --output-suffix`).
        #[arg(long, value_name = "SUFFIX")]
        output_suffix: Option<String>,
    },
    /// Validate the configuration and print the effective values (secrets hidden).
    CheckConfig {
        #[arg(long)]
        config: Option<String>,
    },
}

fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    let code = match dispatch(cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("newsflow: error: {e:#}");
            1
        }
    };
    std::process::exit(code);
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run {
            config,
            seed,
            exit_when_idle,
            echo,
            passthrough,
            seed_rate,
            stages,
        } => {
            let cfg = Config::load(config.as_deref())?;
            let opts = run::RunOptions {
                seed,
                exit_when_idle: exit_when_idle.map(Duration::from_secs_f64),
                echo,
                passthrough,
                seed_rate,
                stages,
            };
            let embedded = cfg.is_embedded();
            let lead = cfg.embedded.max_lead_bytes;
            let summary = runtime()?.block_on(run::run(cfg, opts))?;
            println!("{}", serde_json::to_string(&summary)?);
            if embedded && summary.lost > 0 {
                bail!(
                    "the embedded broker deleted {} input messages before they were read \
                     (it keeps only the newest ~{} MB of each partition, and \
                     embedded.max_lead_bytes = {lead} let producers run further ahead of the \
                     pipeline): they were not processed. Keep embedded.max_lead_bytes well \
                     below that limit, or run against a Kafka cluster (kafka.brokers)",
                    summary.lost,
                    newsflow::shell::embedded::MOCK_PARTITION_BYTES >> 20
                );
            }
            Ok(())
        }
        Command::Replay {
            from,
            to,
            from_offsets,
            config,
            output_suffix,
            group,
            max_rate,
            dedup,
        } => {
            let cfg = Config::load(config.as_deref())?;
            let bounds = replay::range::Bounds {
                from: from
                    .map(|f| replay::range::parse_time("--from", &f))
                    .transpose()?,
                to: to
                    .map(|t| replay::range::parse_time("--to", &t))
                    .transpose()?,
                from_offsets: from_offsets
                    .map(|o| replay::range::parse_offsets(&o))
                    .transpose()?
                    .unwrap_or_default(),
            };
            let opts = replay::ReplayOptions {
                bounds,
                output_suffix,
                group,
                max_rate,
                dedup,
            };
            let report = runtime()?.block_on(replay::replay(cfg, opts))?;
            println!("{}", serde_json::to_string(&report)?);
            if !report.complete {
                eprintln!(
                    "newsflow: replay interrupted; run the same command to continue (group {})",
                    report.group
                );
                std::process::exit(130);
            }
            Ok(())
        }
        Command::Produce { file, config } => {
            let cfg = Config::load(config.as_deref())?;
            if cfg.is_embedded() {
                bail!("kafka.brokers: `produce` needs a running broker; the embedded one lives inside `newsflow run` (use `run --seed FILE`), or set NEWSFLOW_KAFKA__BROKERS=host:port");
            }
            runtime()?.block_on(produce_file(&cfg, &file))
        }
        Command::Extract {
            file,
            config,
            text,
            date,
            happenings,
        } => {
            let cfg = Config::load(config.as_deref())?;
            let output = if happenings {
                ExtractOutput::Happenings
            } else {
                ExtractOutput::Articles
            };
            if text {
                return extract_text(&cfg, &file, date.as_deref(), output);
            }
            extract(&cfg, &file, output)
        }
        Command::CreateTopics {
            config,
            partitions,
            output_suffix,
        } => {
            let cfg = Config::load(config.as_deref())?;
            if cfg.is_embedded() {
                bail!("kafka.brokers: the embedded broker creates its topics itself; set NEWSFLOW_KAFKA__BROKERS=host:port");
            }
            let t = &cfg.topics;
            let mut topics: Vec<String> = t.all().iter().map(|s| s.to_string()).collect();
            let mut compacted: Vec<String> = t.compacted().iter().map(|s| s.to_string()).collect();
            if let Some(sfx) = output_suffix.filter(|s| !s.is_empty()) {
                for base in [&t.articles, &t.events, &t.duplicates, &t.dlq] {
                    topics.push(format!("{base}{sfx}"));
                }
                // A suffixed replay aggregates into happenings of its own.
                let h = newsflow::shell::aggregate::Topics::from_config(t, &sfx);
                topics.extend(h.all().iter().map(|s| s.to_string()));
                compacted.extend([h.happenings.clone(), h.changelog.clone()]);
            }
            runtime()?.block_on(kafka::ensure_topics(
                &cfg.kafka.brokers,
                &topics.iter().map(String::as_str).collect::<Vec<_>>(),
                &compacted.iter().map(String::as_str).collect::<Vec<_>>(),
                partitions,
            ))?;
            eprintln!("newsflow: topics ready on {}", cfg.kafka.brokers);
            Ok(())
        }
        Command::CheckConfig { config } => {
            let cfg = Config::load(config.as_deref())?;
            print!("{}", cfg.to_redacted_toml());
            eprintln!("newsflow: configuration is valid");
            Ok(())
        }
    }
}

async fn produce_file(cfg: &Config, file: &str) -> Result<()> {
    let brokers = cfg.kafka.brokers.clone();
    let topic = cfg.topics.input.clone();
    let t = topic.clone();
    let parts =
        tokio::task::spawn_blocking(move || kafka::partition_counts(&brokers, &[&t])).await??[0];
    if parts == 0 {
        bail!(
            "topics.input: topic {topic:?} does not exist on {}",
            cfg.kafka.brokers
        );
    }
    let producer: rdkafka::producer::FutureProducer =
        kafka::producer_config(cfg, &cfg.kafka.brokers).create()?;
    let reader: Box<dyn BufRead> = if file == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(file).with_context(|| format!("opening {file}"))?,
        ))
    };
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_style(indicatif::ProgressStyle::with_template(
        "{spinner} {pos} articles sent ({per_sec}) {elapsed}",
    )?);
    let n = produce::produce_lines(&producer, &topic, parts, reader, None, Some(&pb)).await?;
    pb.finish_and_clear();
    eprintln!("newsflow: {n} messages acknowledged by {topic}");
    Ok(())
}

/// `extract --text`: the whole input is one article's body.
fn extract_text(cfg: &Config, file: &str, date: Option<&str>, output: ExtractOutput) -> Result<()> {
    let mut body = String::new();
    if file == "-" {
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut body)?;
    } else {
        body = std::fs::read_to_string(file).with_context(|| format!("opening {file}"))?;
    }
    let published = match date {
        None => None,
        Some(d) if d.len() == 10 => Some(format!("{d}T00:00:00Z")),
        Some(d) => Some(d.to_string()),
    };
    let line = serde_json::json!({ "body": body, "published_at": published }).to_string();
    extract_lines(
        cfg,
        Box::new(std::io::Cursor::new(line.into_bytes())),
        output,
        Some(1),
    )
}

fn extract(cfg: &Config, file: &str, output: ExtractOutput) -> Result<()> {
    let (reader, lines): (Box<dyn BufRead>, _) = if file == "-" {
        (Box::new(std::io::BufReader::new(std::io::stdin())), None)
    } else {
        let open = || std::fs::File::open(file).with_context(|| format!("opening {file}"));
        let lines = count_lines(open()?).with_context(|| format!("reading {file}"))?;
        (Box::new(std::io::BufReader::new(open()?)), Some(lines))
    };
    extract_lines(cfg, reader, output, lines)
}

/// The number of lines of a file (newlines, plus one for a last line without one).
fn count_lines(f: std::fs::File) -> std::io::Result<usize> {
    let mut r = std::io::BufReader::with_capacity(1 << 16, f);
    let (mut n, mut last) = (0, b'\n');
    loop {
        let buf = r.fill_buf()?;
        let Some(&end) = buf.last() else { break };
        n += memchr::memchr_iter(b'\n', buf).count();
        last = end;
        let len = buf.len();
        r.consume(len);
    }
    Ok(n + usize::from(last != b'\n'))
}

/// What `newsflow extract` prints.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ExtractOutput {
    /// One article record per valid line, in input order.
    Articles,
    /// One happening record per happening of the whole file, by aggregation key.
    Happenings,
}

/// The records of a JSONL input (see [`ExtractOutput`]); errors on stderr. `lines`: how many
/// lines the input has, when that is known beforehand.
fn extract_lines(
    cfg: &Config,
    reader: Box<dyn BufRead>,
    output: ExtractOutput,
    lines: Option<usize>,
) -> Result<()> {
    let extractor = newsflow::stages::extract::Extractor::load_configured(&cfg.extract)
        .context("loading the dictionaries under data/ (set NEWSFLOW_DATA_DIR to their folder) and [extract]")?;
    let chain = Chain::new(ChainConfig {
        max_message_bytes: cfg.pipeline.max_message_bytes,
    })
    .with_extractor(std::sync::Arc::new(extractor));
    let chain = if output == ExtractOutput::Happenings {
        chain.with_reports()
    } else {
        chain
    };
    // Offline dedup: in-memory, annotate mode, so every valid line still
    // gets its one output line, duplicates marked.
    // An input of known length cannot fill more of the index than it has lines, so the index
    // is sized for them (its table is allocated whole: 25 MB for the default million).
    let mut dedup = cfg.dedup.index_config();
    if let Some(n) = lines {
        dedup.capacity = dedup.capacity.min(n.max(1));
    }
    let index = std::sync::Mutex::new(DedupIndex::new(dedup).context("the [dedup] settings")?);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut ok, mut bad) = (0u64, 0u64);
    let mut happenings = Happenings::new(cfg.happenings.rules(), cfg.happenings.max_article_ids);
    let mut reports = 0u64;
    for (i, line) in reader.split(b'\n').enumerate() {
        let mut line = line.context("reading input")?;
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        if line.is_empty() {
            continue;
        }
        let outcome = chain.process(
            &line,
            Source::line(i as u64 + 1),
            &index,
            true,
            &mut Timings::default(),
        );
        if let Some(rejection) = outcome.rejection {
            eprintln!("newsflow: line {}: {rejection}", i + 1);
            bad += 1;
            continue;
        }
        for o in &outcome.outputs {
            match (o.target, output) {
                (Target::Articles, ExtractOutput::Articles) => {
                    out.write_all(&o.payload)?;
                    out.write_all(b"\n")?;
                    ok += 1;
                }
                (Target::Articles, ExtractOutput::Happenings) => ok += 1,
                (Target::Reports, ExtractOutput::Happenings) => {
                    let r: Report =
                        serde_json::from_slice(&o.payload).context("reading a report back")?;
                    reports += u64::from(happenings.add(r));
                }
                _ => {}
            }
        }
    }
    if output == ExtractOutput::Happenings {
        let records = happenings.finish();
        for r in &records {
            out.write_all(r)?;
            out.write_all(b"\n")?;
        }
        eprintln!(
            "newsflow: {ok} articles, {reports} events (hypothetical ones left out), {} happenings, {bad} malformed lines",
            records.len()
        );
    } else {
        eprintln!("newsflow: {ok} articles, {bad} malformed lines");
    }
    out.flush()?;
    // The process ends here: freeing the dictionaries' hundreds of thousands of allocations
    // one by one would only delay the exit.
    std::mem::forget(chain);
    std::mem::forget(index);
    Ok(())
}
