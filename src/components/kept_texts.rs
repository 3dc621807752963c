//! A form's typed draft as the browser keeps it: one flat JSON array of texts, a layout tag
//! first, then each field in a fixed order, each list as its length and then its items. The page
//! reads that with the `Vec<String>` reader it has anyway, instead of a derived reader for each
//! struct and tuple of the draft (5.7 KB gzipped of the multiparty form; BENCHMARKS.md).
//!
//! A form's `Typed` derives `Serialize` and `Deserialize` with `#[serde(into = "Vec<String>",
//! try_from = "Vec<String>")]`, writing with [`Writer`] and reading with [`read`].

/// Writes a draft's texts.
pub struct Writer(Vec<String>);

impl Writer {
    /// A draft in `layout`, which names the form and the order of its texts.
    pub fn new(layout: &str) -> Writer {
        Writer(vec![layout.to_owned()])
    }

    /// One field.
    pub fn text(&mut self, text: &str) {
        self.0.push(text.to_owned());
    }

    /// A list's length, before its items.
    pub fn count(&mut self, count: usize) {
        self.0.push(count.to_string());
    }

    /// A yes or no.
    pub fn flag(&mut self, flag: bool) {
        self.text(if flag { "true" } else { "false" });
    }

    /// The texts written.
    pub fn finish(self) -> Vec<String> {
        self.0
    }
}

/// Reads back what a [`Writer`] wrote; every read is `None` past the end or on a text that does
/// not read, so a draft kept by another layout, cut short or altered is not read at all.
pub struct Reader(std::vec::IntoIter<String>);

impl Reader {
    /// The texts after the layout tag, if they start with `layout`.
    pub fn new(texts: Vec<String>, layout: &str) -> Option<Reader> {
        let mut texts = texts.into_iter();
        (texts.next()? == layout).then_some(Reader(texts))
    }

    /// The next field.
    pub fn text(&mut self) -> Option<String> {
        self.0.next()
    }

    /// A list's length: never more than the texts left, so nothing huge is allocated for it.
    pub fn count(&mut self) -> Option<usize> {
        let count = self.text()?.parse().ok()?;
        (count <= self.0.len()).then_some(count)
    }

    /// A yes or no.
    pub fn flag(&mut self) -> Option<bool> {
        match self.text()?.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// Whether every text was read.
    pub fn end(mut self) -> Option<()> {
        self.0.next().is_none().then_some(())
    }
}

/// The draft `fields` reads from `texts`, if they are in `layout` and it reads every one of them.
pub fn read<T>(
    texts: Vec<String>,
    layout: &str,
    fields: impl FnOnce(&mut Reader) -> Option<T>,
) -> Result<T, NotKept> {
    let mut reader = Reader::new(texts, layout).ok_or(NotKept)?;
    let value = fields(&mut reader).ok_or(NotKept)?;
    reader.end().ok_or(NotKept)?;
    Ok(value)
}

/// Why a kept draft was not read back.
#[derive(Debug)]
pub struct NotKept;

impl std::fmt::Display for NotKept {
    fn fmt(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("not a draft this page kept")
    }
}

#[cfg(test)]
mod tests {
    use super::{Reader, Writer};

    #[test]
    fn reads_back_what_was_written() {
        let mut writer = Writer::new("form/1");
        writer.text("a \"quoted\"\nline");
        writer.count(2);
        writer.text("x");
        writer.text("");
        writer.flag(true);
        let texts = writer.finish();
        assert_eq!(texts[0], "form/1");

        let mut reader = Reader::new(texts.clone(), "form/1").unwrap();
        assert_eq!(reader.text().as_deref(), Some("a \"quoted\"\nline"));
        assert_eq!(reader.count(), Some(2));
        assert_eq!(reader.text().as_deref(), Some("x"));
        assert_eq!(reader.text().as_deref(), Some(""));
        assert_eq!(reader.flag(), Some(true));
        assert_eq!(reader.end(), Some(()));

        assert!(Reader::new(texts, "form/2").is_none());
        assert!(Reader::new(Vec::new(), "form/1").is_none());
    }

    #[test]
    fn refuses_what_does_not_read() {
        let reader = |texts: &[&str]| {
            let texts = texts.iter().map(|text| text.to_string()).collect();
            Reader::new(texts, "f").unwrap()
        };
        // A count past the texts left, or not a count.
        assert_eq!(reader(&["f", "2", "a"]).count(), None);
        assert_eq!(reader(&["f", "18446744073709551615"]).count(), None);
        assert_eq!(reader(&["f", "-1", "a"]).count(), None);
        assert_eq!(reader(&["f", "1", "a"]).count(), Some(1));
        assert_eq!(reader(&["f", "yes"]).flag(), None);
        assert_eq!(reader(&["f"]).text(), None);
        assert_eq!(reader(&["f", "left over"]).end(), None);
    }
}
