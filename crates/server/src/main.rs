//! `offerdesk`: parse the flags, open the database, serve until Ctrl-C or SIGTERM.

use std::io::IsTerminal;
use std::process::ExitCode;

use offerdesk_server::config::{Command, Config, USAGE};
use offerdesk_server::{app, demo, AppState, SqliteStore, StartedClock};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let config = match Command::parse(std::env::args().skip(1)) {
        Ok(Command::Run(config)) => config,
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("offerdesk: {error}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match serve(config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("offerdesk: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(config: Config) -> Result<(), String> {
    // Opened before the runtime starts, so its blocking I/O never holds an async worker.
    let store = SqliteStore::open(&config.database).map_err(|error| {
        format!(
            "cannot open the database {}: {error}",
            config.database.display()
        )
    })?;
    tracing::info!(database = %config.database.display(), "database ready");
    let index = config.static_dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(
            "no page at {}: the API works, but every other path answers 404 until the page is \
             built (or --static-dir points at it)",
            index.display()
        );
    }
    let mut state = AppState::new(store, config.static_dir.clone())
        .with_publish_delay(std::time::Duration::from_secs(config.publish_delay_seconds));
    if let Some(start) = config.clock_start {
        tracing::info!(%start, "--clock-start: the clock starts at this instant");
        state = state.with_clock(std::sync::Arc::new(StartedClock::new(start)));
    }
    state.auth.passwords.warm();
    let router = app(state.clone());

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|error| format!("cannot listen on {}: {error}", config.listen))?;
        let address = listener
            .local_addr()
            .map_err(|error| format!("cannot read the listening address: {error}"))?;
        let demo_ready = config.demo && seed_demo(&state).await?;
        println!("Offer Desk is listening on http://{address}/");
        if demo_ready {
            print!("{}", demo::sign_in_text(&format!("http://{address}/")));
        }
        offerdesk_server::worker::spawn(
            state,
            std::time::Duration::from_millis(config.worker_interval_ms),
        );
        // The peer address keys the limit on failed sign-ins per client.
        let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|error| format!("the server stopped: {error}"))?;
        tracing::info!("stopped");
        Ok(())
    })
}

/// Adds the demo data to an empty database; a database with data is left as it is. Answers
/// whether the demo sign-ins work (seeded now or on an earlier start).
async fn seed_demo(state: &AppState) -> Result<bool, String> {
    match demo::seed_accounts(state).await {
        Ok(Some(ids)) => {
            tracing::info!(
                ?ids,
                "--demo: added the demo organizations, users and catalog"
            );
            let offers = demo::seed_offers(state, &ids)
                .await
                .map_err(|error| format!("cannot add the demo offers: {error}"))?;
            tracing::info!(count = offers.offers.len(), "--demo: added the demo offers");
            for path in &offers.customer_links {
                // Only the hash is stored: this log line is the one place the link is shown,
                // as the page's address (the API answers the same token under /api/v1).
                let page = path.strip_prefix("/api/v1").unwrap_or(path);
                tracing::info!(%page, "--demo: a customer link to Tailspin Toys");
            }
            Ok(true)
        }
        Ok(None) => {
            let seeded = state
                .store
                .user_credentials(demo::DEMO_SIGN_INS[0].0.to_owned())
                .await
                .map_err(|error| format!("cannot read the database: {error}"))?
                .is_some();
            if seeded {
                tracing::info!("--demo: the demo data is there from an earlier start");
            } else {
                tracing::warn!("--demo: the database has other data; no demo data was added");
            }
            Ok(seeded)
        }
        Err(error) => Err(format!("cannot add the demo data: {error}")),
    }
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the server exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(error) => {
                tracing::error!("cannot listen for SIGTERM: {error}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
