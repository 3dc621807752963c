//! Command-line flags of `offerdesk`. Hand-written: a handful of flags does not earn a parser
//! crate's compile time.

use std::net::SocketAddr;
use std::path::PathBuf;

/// The usage text, printed by `--help` and after a bad flag.
pub const USAGE: &str = "\
Usage: offerdesk [OPTIONS]

Serves Offer Desk: the JSON API (/api/...) and the built page.

Options:
  --listen ADDR       IP address and port to listen on [default: 127.0.0.1:8080]
  --database PATH     SQLite database file, created if missing [default: offerdesk.db]
  --static-dir DIR    directory of the built page [default: dist]
  --demo              add demo organizations, users and a catalog to an empty database
  --publish-delay-seconds N
                      how long simulated publishing takes an In Progress offer [default: 5]
  --worker-interval-ms N
                      how often the publishing worker looks for moves due [default: 500]
  --clock-start INSTANT
                      start the server's clock at this RFC 3339 instant (such as
                      2027-03-01T00:00:00Z) and run it on in real time, to see offers
                      before or after their dates [default: the system clock]
  -h, --help          print this help and exit
";

/// How the server runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The SQLite file.
    pub database: PathBuf,
    /// The built page (Trunk's `dist/`).
    pub static_dir: PathBuf,
    /// Whether to load demo data.
    pub demo: bool,
    /// Seconds simulated publishing takes an In Progress offer.
    pub publish_delay_seconds: u64,
    /// Milliseconds between the publishing worker's passes.
    pub worker_interval_ms: u64,
    /// Where the server's clock starts (`None`: the system clock).
    pub clock_start: Option<chrono::DateTime<chrono::Utc>>,
}

/// How often the publishing worker runs by default, in milliseconds.
pub const DEFAULT_WORKER_INTERVAL_MS: u64 = 500;

/// How long simulated publishing takes by default, in seconds.
pub const DEFAULT_PUBLISH_DELAY_SECONDS: u64 = 5;

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: PathBuf::from("offerdesk.db"),
            static_dir: PathBuf::from("dist"),
            demo: false,
            publish_delay_seconds: DEFAULT_PUBLISH_DELAY_SECONDS,
            worker_interval_ms: DEFAULT_WORKER_INTERVAL_MS,
            clock_start: None,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Serve with this configuration.
    Run(Config),
    /// Print the usage and exit successfully.
    Help,
}

/// A command line that cannot be run; the binary prints it with the usage and exits 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A flag this program does not have.
    #[error("unknown argument '{0}'")]
    Unknown(String),
    /// A flag that takes a value came last, without one.
    #[error("{0} needs a value")]
    MissingValue(String),
    /// A flag that takes no value was given one (`--demo=yes`).
    #[error("{0} takes no value")]
    UnexpectedValue(String),
    /// A value that does not parse.
    #[error("{flag}: '{value}' is not {expected}")]
    Invalid {
        /// The flag.
        flag: String,
        /// What was given.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
}

impl Command {
    /// Reads the arguments after the program name. `--flag value` and `--flag=value` both work;
    /// a later flag overrides an earlier one; `--help` anywhere wins.
    pub fn parse<I, A>(arguments: I) -> Result<Command, ConfigError>
    where
        I: IntoIterator<Item = A>,
        A: Into<String>,
    {
        let arguments: Vec<String> = arguments.into_iter().map(Into::into).collect();
        if arguments
            .iter()
            .any(|argument| argument == "-h" || argument == "--help")
        {
            return Ok(Command::Help);
        }
        let mut config = Config::default();
        let mut arguments = arguments.into_iter();
        while let Some(argument) = arguments.next() {
            let (flag, inline) = match argument.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => {
                    (flag.to_owned(), Some(value.to_owned()))
                }
                _ => (argument, None),
            };
            let mut value = |flag: &str| -> Result<String, ConfigError> {
                match inline.clone() {
                    Some(value) => Ok(value),
                    None => arguments
                        .next()
                        .ok_or_else(|| ConfigError::MissingValue(flag.to_owned())),
                }
            };
            match flag.as_str() {
                "--demo" if inline.is_some() => return Err(ConfigError::UnexpectedValue(flag)),
                "--demo" => config.demo = true,
                "--listen" => {
                    let text = value(&flag)?;
                    config.listen = text.parse().map_err(|_| ConfigError::Invalid {
                        flag,
                        value: text,
                        expected: "an IP address and port, such as 127.0.0.1:8080",
                    })?;
                }
                "--publish-delay-seconds" => {
                    let text = value(&flag)?;
                    config.publish_delay_seconds =
                        text.parse().map_err(|_| ConfigError::Invalid {
                            flag,
                            value: text,
                            expected: "a whole number of seconds",
                        })?;
                }
                "--worker-interval-ms" => {
                    let text = value(&flag)?;
                    config.worker_interval_ms =
                        text.parse()
                            .ok()
                            .filter(|ms| *ms > 0)
                            .ok_or(ConfigError::Invalid {
                                flag,
                                value: text,
                                expected: "a whole number of milliseconds above 0",
                            })?;
                }
                "--clock-start" => {
                    let text = value(&flag)?;
                    let start = chrono::DateTime::parse_from_rfc3339(&text).map_err(|_| {
                        ConfigError::Invalid {
                            flag,
                            value: text,
                            expected: "an RFC 3339 instant, such as 2027-03-01T00:00:00Z",
                        }
                    })?;
                    config.clock_start = Some(start.with_timezone(&chrono::Utc));
                }
                "--database" => config.database = non_empty(&flag, value(&flag)?, "a file path")?,
                "--static-dir" => {
                    config.static_dir = non_empty(&flag, value(&flag)?, "a directory path")?
                }
                _ => return Err(ConfigError::Unknown(flag)),
            }
        }
        Ok(Command::Run(config))
    }
}

fn non_empty(flag: &str, value: String, expected: &'static str) -> Result<PathBuf, ConfigError> {
    if value.is_empty() {
        return Err(ConfigError::Invalid {
            flag: flag.to_owned(),
            value,
            expected,
        });
    }
    Ok(PathBuf::from(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(arguments: &[&str]) -> Config {
        match Command::parse(arguments.iter().copied()) {
            Ok(Command::Run(config)) => config,
            other => panic!("{arguments:?}: {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        assert_eq!(run(&[]), Config::default());
        assert_eq!(Config::default().listen.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn every_flag_in_both_spellings() {
        let config = run(&[
            "--listen",
            "0.0.0.0:9000",
            "--database=/tmp/x.db",
            "--static-dir",
            "web",
            "--demo",
        ]);
        assert_eq!(config.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(config.database, PathBuf::from("/tmp/x.db"));
        assert_eq!(config.static_dir, PathBuf::from("web"));
        assert!(config.demo);
        assert_eq!(run(&["--listen=[::1]:80"]).listen.to_string(), "[::1]:80");
    }

    #[test]
    fn the_publishing_flags() {
        let config = run(&["--publish-delay-seconds", "0", "--worker-interval-ms=50"]);
        assert_eq!(config.publish_delay_seconds, 0);
        assert_eq!(config.worker_interval_ms, 50);
        for arguments in [
            &["--publish-delay-seconds", "soon"][..],
            &["--worker-interval-ms", "0"],
            &["--worker-interval-ms", "-5"],
        ] {
            assert!(
                matches!(
                    Command::parse(arguments.iter().copied()),
                    Err(ConfigError::Invalid { .. })
                ),
                "{arguments:?}"
            );
        }
    }

    #[test]
    fn the_clock_start() {
        assert_eq!(run(&[]).clock_start, None);
        let config = run(&["--clock-start", "2027-03-01T00:00:00Z"]);
        assert_eq!(
            config.clock_start.map(|start| start.to_rfc3339()),
            Some("2027-03-01T00:00:00+00:00".into())
        );
        // Another offset names the same instant in UTC.
        let config = run(&["--clock-start=2027-03-01T02:30:00+02:00"]);
        assert_eq!(
            config.clock_start.map(|start| start.to_rfc3339()),
            Some("2027-03-01T00:30:00+00:00".into())
        );
        for text in ["2027-03-01", "tomorrow", ""] {
            assert!(
                matches!(
                    Command::parse(["--clock-start", text]),
                    Err(ConfigError::Invalid { .. })
                ),
                "{text:?}"
            );
        }
    }

    #[test]
    fn help_wins_anywhere() {
        assert_eq!(
            Command::parse(["--listen", "x", "--help"]),
            Ok(Command::Help)
        );
        assert_eq!(Command::parse(["--demo", "-h"]), Ok(Command::Help));
    }

    #[test]
    fn bad_command_lines() {
        let cases: [(&[&str], ConfigError); 6] = [
            (&["--port", "1"], ConfigError::Unknown("--port".into())),
            (&["serve"], ConfigError::Unknown("serve".into())),
            (&["--listen"], ConfigError::MissingValue("--listen".into())),
            (
                &["--demo=yes"],
                ConfigError::UnexpectedValue("--demo".into()),
            ),
            (
                &["--listen", "localhost"],
                ConfigError::Invalid {
                    flag: "--listen".into(),
                    value: "localhost".into(),
                    expected: "an IP address and port, such as 127.0.0.1:8080",
                },
            ),
            (
                &["--database="],
                ConfigError::Invalid {
                    flag: "--database".into(),
                    value: String::new(),
                    expected: "a file path",
                },
            ),
        ];
        for (arguments, expected) in cases {
            assert_eq!(
                Command::parse(arguments.iter().copied()),
                Err(expected),
                "{arguments:?}"
            );
        }
    }
}
