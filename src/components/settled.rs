//! What is typed, once the typing pauses: lookups that follow a field ask the server once per
//! pause, not once per keystroke.

use std::time::Duration;

use leptos::prelude::*;

/// How long typing must pause before a lookup follows it.
pub const TYPING_PAUSE: Duration = Duration::from_millis(250);

/// `source`'s value once it has stayed unchanged for `pause`. It starts at `source`'s current
/// value; a change that is undone within the pause never shows.
pub fn settled<T>(source: Signal<T>, pause: Duration) -> ReadSignal<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let (value, set_value) = signal(source.get_untracked());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let next = source.get();
        if let Some(pending) = timer.get_value() {
            pending.clear();
        }
        let changed = value.with_untracked(|current| *current != next);
        let fire = move || set_value.set(next);
        timer.set_value(
            changed
                .then(|| set_timeout_with_handle(fire, pause).ok())
                .flatten(),
        );
    });
    value
}
