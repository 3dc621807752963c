//! Reading the server's JSON into the page's types.
//!
//! A small `serde::Deserializer` of its own instead of serde_json's: every answer is read
//! through [`from_str`], and serde compiles one reader per type the page reads, with the
//! deserializer's methods inlined into it. Here those methods are a few lines each around
//! non-generic helpers (whitespace, strings, integers, skipping a value), so the text handling
//! is in the page once rather than in every type's reader (BENCHMARKS.md, stop 17).
//!
//! It reads what the server writes: objects, arrays, strings, integers, booleans and null.
//! A struct is read from an object only, never from an array of its fields, so serde's
//! positional struct readers are never compiled in. A number with a fraction or an exponent is
//! skipped where the page ignores a value but not read: money and percentages travel as
//! strings, and the page has no floating-point fields.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::StrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, Expected, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde::Deserialize;

/// Reads `text` as one JSON value of type `T`, whose structs are JSON objects.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    let mut reader = Reader::new(text);
    let value = T::deserialize(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// Checks that `text` is one JSON value (any JSON: numbers with fractions too).
pub fn check(text: &str) -> Result<(), Error> {
    let mut reader = Reader::new(text);
    reader.skip_value()?;
    reader.end()
}

/// Why a text was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }

    fn invalid_type(unexpected: Unexpected, expected: &dyn Expected) -> Self {
        Error(format!(
            "invalid type: {}, expected {expected}",
            described(unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected, expected: &dyn Expected) -> Self {
        Error(format!(
            "invalid value: {}, expected {expected}",
            described(unexpected)
        ))
    }
}

/// What serde's `Unexpected` says, but a float is not written out: its `Display` would bring
/// the formatting of floating-point numbers into the page for an error message (serde_json's
/// error does the same). This reader never sees a float.
fn described(unexpected: Unexpected) -> String {
    match unexpected {
        Unexpected::Float(_) => "floating point number".to_owned(),
        Unexpected::Bool(value) => format!("boolean `{value}`"),
        Unexpected::Unsigned(value) => format!("integer `{value}`"),
        Unexpected::Signed(value) => format!("integer `{value}`"),
        Unexpected::Char(value) => format!("character `{value}`"),
        Unexpected::Str(value) => format!("string {value:?}"),
        Unexpected::Bytes(_) => "byte array".to_owned(),
        Unexpected::Unit => "null".to_owned(),
        Unexpected::Option => "Option value".to_owned(),
        Unexpected::NewtypeStruct => "newtype struct".to_owned(),
        Unexpected::Seq => "sequence".to_owned(),
        Unexpected::Map => "map".to_owned(),
        Unexpected::Enum => "enum".to_owned(),
        Unexpected::UnitVariant => "unit variant".to_owned(),
        Unexpected::NewtypeVariant => "newtype variant".to_owned(),
        Unexpected::TupleVariant => "tuple variant".to_owned(),
        Unexpected::StructVariant => "struct variant".to_owned(),
        Unexpected::Other(other) => other.to_owned(),
    }
}

/// JSON kept as text inside an answer (an offer whose shape depends on the viewer), to be read
/// with [`Raw::read`] once the page knows which type it is. Read only by [`from_str`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raw(Box<str>);

/// The newtype name by which [`Raw`] asks the reader for the text of the next value.
const RAW: &str = "$offerdesk::json::Raw";

impl Raw {
    /// The JSON text, as the server wrote it.
    pub fn get(&self) -> &str {
        &self.0
    }

    /// The text read as a `T`; `None` when it does not fit.
    pub fn read<T: DeserializeOwned>(&self) -> Option<T> {
        from_str(&self.0).ok()
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Raw, D::Error> {
        struct RawText;

        impl Visitor<'_> for RawText {
            type Value = Raw;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("any JSON value")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Raw, E> {
                Ok(Raw(text.into()))
            }
        }

        deserializer.deserialize_newtype_struct(RAW, RawText)
    }
}

/// How deep arrays and objects may nest (as serde_json), so no text can exhaust the stack.
const MAX_DEPTH: u16 = 128;

/// The reader: the text and how far it has read. Everything that looks at the text is a
/// non-generic method here; the `Deserializer` methods below only choose which to call.
struct Reader<'de> {
    text: &'de str,
    at: usize,
    depth: u16,
}

/// An integer as JSON wrote it.
enum Integer {
    Unsigned(u64),
    Signed(i64),
}

impl<'de> Reader<'de> {
    fn new(text: &'de str) -> Self {
        Reader {
            text,
            at: 0,
            depth: 0,
        }
    }

    fn error(&self, what: &str) -> Error {
        Error(format!("{what} at byte {}", self.at))
    }

    /// The next byte after whitespace, not taken.
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&byte) = bytes.get(self.at) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(byte);
            }
            self.at += 1;
        }
        None
    }

    /// Takes `byte` (after whitespace), or says what was expected.
    fn expect(&mut self, byte: u8, what: &str) -> Result<(), Error> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    /// Nothing but whitespace is left.
    fn end(&mut self) -> Result<(), Error> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters")),
        }
    }

    /// Takes `word` (`true`, `false`, `null`), whose first byte has been peeked.
    fn word(&mut self, word: &str) -> Result<(), Error> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(self.error("expected value"))
        }
    }

    /// Opens an array or object (its first byte peeked), within [`MAX_DEPTH`].
    fn open(&mut self) -> Result<(), Error> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.depth += 1;
        self.at += 1;
        Ok(())
    }

    /// Closes what [`Reader::open`] opened with `byte` (`]` or `}`).
    fn close(&mut self, byte: u8) -> Result<(), Error> {
        if self.peek() != Some(byte) {
            return Err(self.separator_expected(byte));
        }
        self.at += 1;
        self.depth -= 1;
        Ok(())
    }

    /// The error where an array or object closed by `close` goes on with neither `,` nor it.
    fn separator_expected(&self, close: u8) -> Error {
        self.error(if close == b']' {
            "expected `,` or `]`"
        } else {
            "expected `,` or `}`"
        })
    }

    /// Before an element or entry: `false` at the end (`]` or `}` next, not taken), else takes
    /// the `,` that separates it from the one before (none before the first).
    fn has_next(&mut self, close: u8, first: &mut bool) -> Result<bool, Error> {
        match self.peek() {
            Some(byte) if byte == close => Ok(false),
            _ if *first => {
                *first = false;
                Ok(true)
            }
            Some(b',') => {
                self.at += 1;
                Ok(true)
            }
            _ => Err(self.separator_expected(close)),
        }
    }

    /// A string (its `"` peeked), borrowed from the text unless it has escapes.
    fn string(&mut self) -> Result<Cow<'de, str>, Error> {
        self.at += 1;
        let text: &'de str = self.text;
        let bytes = text.as_bytes();
        let start = self.at;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            let Some(&byte) = bytes.get(self.at) else {
                return Err(self.error("EOF while parsing a string"));
            };
            match byte {
                b'"' => {
                    let value = match owned {
                        None => Cow::Borrowed(&text[start..self.at]),
                        Some(mut value) => {
                            value.push_str(&text[run..self.at]);
                            Cow::Owned(value)
                        }
                    };
                    self.at += 1;
                    return Ok(value);
                }
                b'\\' => {
                    let value = owned.get_or_insert_with(String::new);
                    value.push_str(&text[run..self.at]);
                    let escape = bytes.get(self.at + 1).copied();
                    self.at += 2;
                    value.push(match escape {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(self.error("invalid escape")),
                    });
                    run = self.at;
                }
                0..=0x1f => return Err(self.error("control character in a string")),
                _ => self.at += 1,
            }
        }
    }

    /// The four hex digits after `\u` (and a second escape for a surrogate pair), taken.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.text[self.at..].starts_with("\\u") {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate in hex escape")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|digits| digits.bytes().all(|byte| byte.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid escape"))?;
        let value = u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid escape"))?;
        self.at += 4;
        Ok(value)
    }

    /// The extent of a number (its first byte peeked): where it ends, and whether it is a
    /// whole number (no fraction, no exponent). Checks JSON's number syntax.
    fn number_end(&self) -> Result<(usize, bool), Error> {
        let bytes = self.text.as_bytes();
        let mut at = self.at;
        let digits = |at: &mut usize| {
            let start = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at > start
        };
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let int_start = at;
        if !digits(&mut at) || (bytes[int_start] == b'0' && at - int_start > 1) {
            return Err(Error(format!("invalid number at byte {}", self.at)));
        }
        let mut whole = true;
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            whole = false;
            if !digits(&mut at) {
                return Err(Error(format!("invalid number at byte {}", self.at)));
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            whole = false;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            if !digits(&mut at) {
                return Err(Error(format!("invalid number at byte {}", self.at)));
            }
        }
        Ok((at, whole))
    }

    /// A whole number (its first byte peeked), taken.
    fn integer(&mut self) -> Result<Integer, Error> {
        let (end, whole) = self.number_end()?;
        if !whole {
            return Err(self.error("a number with a fraction or an exponent is not read here"));
        }
        let digits = &self.text[self.at..end];
        let value = if digits.starts_with('-') {
            digits.parse().map(Integer::Signed)
        } else {
            digits.parse().map(Integer::Unsigned)
        };
        let value = value.map_err(|_| self.error("number out of range"))?;
        self.at = end;
        Ok(value)
    }

    /// Takes one value of any kind without reading it.
    fn skip_value(&mut self) -> Result<(), Error> {
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b't') => self.word("true"),
            Some(b'f') => self.word("false"),
            Some(b'n') => self.word("null"),
            Some(b'-' | b'0'..=b'9') => {
                self.at = self.number_end()?.0;
                Ok(())
            }
            Some(b'[') => {
                self.open()?;
                let mut first = true;
                while self.has_next(b']', &mut first)? {
                    self.skip_value()?;
                }
                self.close(b']')
            }
            Some(b'{') => {
                self.open()?;
                let mut first = true;
                while self.has_next(b'}', &mut first)? {
                    self.key()?;
                    self.skip_value()?;
                }
                self.close(b'}')
            }
            Some(_) => Err(self.error("expected value")),
            None => Err(self.error("EOF while parsing a value")),
        }
    }

    /// An object's key and its `:`, taken.
    fn key(&mut self) -> Result<Cow<'de, str>, Error> {
        if self.peek() != Some(b'"') {
            return Err(self.error("key must be a string"));
        }
        let key = self.string()?;
        self.expect(b':', "expected `:`")?;
        Ok(key)
    }

    /// The text of the next value, taken.
    fn raw(&mut self) -> Result<&'de str, Error> {
        self.peek();
        let start = self.at;
        self.skip_value()?;
        Ok(&self.text[start..self.at])
    }

    /// A string for `expected`, which reads only strings. The checks of the value's kind are
    /// methods of their own (here and below) and not inlined: one copy in the page rather than
    /// one in every field of every type's reader.
    #[inline(never)]
    fn string_for(&mut self, expected: &dyn Expected) -> Result<Cow<'de, str>, Error> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected(expected));
        }
        self.string()
    }

    #[inline(never)]
    fn integer_for(&mut self, expected: &dyn Expected) -> Result<Integer, Error> {
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.unexpected(expected));
        }
        self.integer()
    }

    #[inline(never)]
    fn bool_for(&mut self, expected: &dyn Expected) -> Result<bool, Error> {
        match self.peek() {
            Some(b't') => self.word("true").map(|()| true),
            Some(b'f') => self.word("false").map(|()| false),
            _ => Err(self.unexpected(expected)),
        }
    }

    #[inline(never)]
    fn null_for(&mut self, expected: &dyn Expected) -> Result<(), Error> {
        if self.peek() != Some(b'n') {
            return Err(self.unexpected(expected));
        }
        self.word("null")
    }

    /// Whether the next value is `null`, taking it if so.
    #[inline(never)]
    fn null(&mut self) -> Result<bool, Error> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        self.word("null").map(|()| true)
    }

    /// Opens an array (`[`) or object (`{`) for `expected`.
    #[inline(never)]
    fn open_for(&mut self, byte: u8, expected: &dyn Expected) -> Result<(), Error> {
        if self.peek() != Some(byte) {
            return Err(self.unexpected(expected));
        }
        self.open()
    }

    /// The error for a value that is not what `expected` reads.
    fn unexpected(&mut self, expected: &dyn Expected) -> Error {
        let unexpected = match self.peek() {
            Some(b'"') => Unexpected::Other("string"),
            Some(b'[') => Unexpected::Seq,
            Some(b'{') => Unexpected::Map,
            Some(b't' | b'f') => Unexpected::Other("boolean"),
            Some(b'n') => Unexpected::Unit,
            Some(b'-' | b'0'..=b'9') => Unexpected::Other("number"),
            _ => return self.error("expected value"),
        };
        let error: Error = de::Error::invalid_type(unexpected, expected);
        self.error(&error.0)
    }
}

/// Deserializer methods that read their value as another method does.
macro_rules! forward {
    ($($($method:ident)* => $to:ident;)*) => {$($(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.$to(visitor)
        }
    )*)*};
}

impl<'de> Deserializer<'de> for &mut Reader<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.peek() {
            Some(b'"') => self.deserialize_string(visitor),
            Some(b'[') => self.deserialize_seq(visitor),
            Some(b'{') => self.deserialize_map(visitor),
            Some(b't' | b'f') => self.deserialize_bool(visitor),
            Some(b'n') => self.deserialize_unit(visitor),
            Some(b'-' | b'0'..=b'9') => self.deserialize_i64(visitor),
            _ => Err(self.unexpected(&visitor)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let value = self.bool_for(&visitor)?;
        visitor.visit_bool(value)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.integer_for(&visitor)? {
            Integer::Unsigned(value) => visitor.visit_u64(value),
            Integer::Signed(value) => visitor.visit_i64(value),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let text = self.string_for(&visitor)?;
        visitor.visit_str(&text)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.null()? {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.null_for(&visitor)?;
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == RAW {
            let raw = self.raw()?;
            return visitor.visit_borrowed_str(raw);
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.open_for(b'[', &visitor)?;
        let value = visitor.visit_seq(Items::new(&mut *self))?;
        self.close(b']')?;
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.open_for(b'{', &visitor)?;
        let value = visitor.visit_map(Items::new(&mut *self))?;
        self.close(b'}')?;
        Ok(value)
    }

    /// From an object only: the struct's positional reader (`visit_seq`) is never called.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    /// `"variant"` for a unit variant, `{"variant": content}` for the others.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.peek() {
            Some(b'"') => {
                let name = self.string()?;
                visitor.visit_enum(StrDeserializer::<Error>::new(&name))
            }
            Some(b'{') => {
                self.open()?;
                let value = visitor.visit_enum(Variant(&mut *self))?;
                self.close(b'}')?;
                Ok(value)
            }
            _ => Err(self.unexpected(&visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.skip_value()?;
        visitor.visit_unit()
    }

    forward! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i128 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64 => deserialize_i64;
        deserialize_char deserialize_str deserialize_identifier => deserialize_string;
        deserialize_bytes deserialize_byte_buf => deserialize_any;
    }
}

/// The elements of an array (as `SeqAccess`) or the entries of an object (as `MapAccess`), its
/// `[` or `{` taken.
struct Items<'a, 'de> {
    reader: &'a mut Reader<'de>,
    first: bool,
}

impl<'a, 'de> Items<'a, 'de> {
    fn new(reader: &'a mut Reader<'de>) -> Self {
        Items {
            reader,
            first: true,
        }
    }
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if !self.reader.has_next(b']', &mut self.first)? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.reader).map(Some)
    }
}

impl<'de> MapAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if !self.reader.has_next(b'}', &mut self.first)? {
            return Ok(None);
        }
        let key = self.reader.key()?;
        seed.deserialize(StrDeserializer::<Error>::new(&key))
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(&mut *self.reader)
    }
}

/// An enum written `{"variant": content}`, its `{` taken.
struct Variant<'a, 'de>(&'a mut Reader<'de>);

impl<'de> EnumAccess<'de> for Variant<'_, 'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), Error> {
        let name = self.0.key()?;
        let variant = seed.deserialize(StrDeserializer::<Error>::new(&name))?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'_, 'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        <()>::deserialize(self.0)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self.0)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0.deserialize_map(visitor)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::de::IgnoredAny;
    use serde::Deserialize;
    use serde_json::Value;

    use super::{check, from_str, Raw};

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Flat,
        PerUser { min: u32 },
        Priced(String),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "viewer", content = "offer", rename_all = "snake_case")]
    enum Seen {
        Isv { name: String },
        Partner(u8),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Line {
        name: String,
        kind: Kind,
        #[serde(default)]
        note: Option<String>,
        pair: (u8, String),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Offer {
        id: String,
        version: i64,
        lines: Vec<Line>,
        by_name: BTreeMap<String, Line>,
        maybe: Option<Box<Line>>,
        seen: Vec<Seen>,
        done: bool,
    }

    const OFFER: &str = r#"{
        "id": "mpo-1", "version": -3,
        "lines": [
            {"name": "a", "kind": "flat", "pair": [1, "x"], "unknown": [1.5e3, {"b": -2}, true, null]},
            {"name": "b\"\\\/\n\u00e9\ud83d\ude00", "kind": {"per_user": {"min": 3}}, "note": "n", "pair": [2, "y"]}
        ],
        "by_name": {"c": {"name": "c", "kind": {"priced": "9.50"}, "pair": [3, "z"]}},
        "maybe": {"name": "d", "kind": {"flat": null}, "note": null, "pair": [4, "w"]},
        "seen": [{"viewer": "isv", "offer": {"name": "i"}}, {"offer": 7, "viewer": "partner"}],
        "done": false
    }"#;

    #[test]
    fn reads_what_serde_json_reads_from_objects() {
        let ours: Offer = from_str(OFFER).unwrap();
        let theirs: Offer = serde_json::from_str(OFFER).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.lines[1].name, "b\"\\/\né😀");
        assert_eq!(ours.lines[1].kind, Kind::PerUser { min: 3 });
        assert_eq!(ours.by_name["c"].kind, Kind::Priced("9.50".to_owned()));
        assert_eq!(ours.maybe.unwrap().pair, (4, "w".to_owned()));
        assert_eq!(ours.seen[1], Seen::Partner(7));
    }

    #[test]
    fn raw_values_stay_raw() {
        let page: BTreeMap<String, Raw> =
            from_str(r#"{"offers": [{"id": "x", "n": 1.5}] , "next_cursor": null, "s": "a\"b"}"#)
                .unwrap();
        assert_eq!(page["offers"].get(), r#"[{"id": "x", "n": 1.5}]"#);
        assert_eq!(page["next_cursor"].get(), "null");
        assert_eq!(page["s"].get(), r#""a\"b""#);
        assert_eq!(page["s"].read::<String>().as_deref(), Some("a\"b"));
        let kept: Option<Raw> = from_str("null").unwrap();
        assert_eq!(kept, None);
    }

    #[test]
    fn a_struct_written_as_an_array_is_refused() {
        let error = from_str::<Line>(r#"["a", "flat", null, [1, "x"]]"#).unwrap_err();
        assert!(
            error.to_string().contains("invalid type: sequence"),
            "{error}"
        );
        let error =
            from_str::<Kind>(r#"{"per_user": [3]}"#).expect_err("a struct variant from an array");
        assert!(
            error.to_string().contains("invalid type: sequence"),
            "{error}"
        );
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        let offer = |lines: &str| {
            format!(
                r#"{{"id": "x", "version": 1, "lines": {lines}, "by_name": {{}}, "maybe": null, "seen": [], "done": true}}"#
            )
        };
        for text in [
            format!("{} trailing", offer("[]")),
            offer("[],"),
            offer(r#"[{"name": "a", "kind": "round", "pair": [1, "x"]}]"#),
            offer(r#"[{"name": "a", "kind": "flat", "pair": [256, "x"]}]"#),
            offer(r#"[{"name": "a", "kind": "flat", "pair": [1, "x", 2]}]"#),
            offer(r#"[{"name": "a", "kind": "flat", "pair": [1.0, "x"]}]"#),
            offer(r#"[{"name": "a\x", "kind": "flat", "pair": [1, "x"]}]"#),
            offer(r#"[{"name": "\ud800", "kind": "flat", "pair": [1, "x"]}]"#),
            offer(r#"[{"name": "a", "kind": "flat", "pair": [01, "x"]}]"#),
            offer("[,]"),
            offer("[}"),
            r#"{"id": 1, "version": 1, "lines": [], "by_name": {}, "maybe": null, "seen": [], "done": true}"#.to_owned(),
            r#"{"version": 1, "lines": [], "by_name": {}, "maybe": null, "seen": [], "done": true}"#.to_owned(),
            r#"{"id": "x", "version": 99999999999999999999, "lines": [], "by_name": {}, "maybe": null, "seen": [], "done": true}"#.to_owned(),
            r#"{"id": "x", "version": 1, "lines": [], "by_name": {}, "maybe": null, "seen": [], "done": tru}"#.to_owned(),
            "{\"id\": \"a\tb\"}".to_owned(),
            "{".to_owned(),
            String::new(),
        ] {
            assert!(serde_json::from_str::<Offer>(&text).is_err(), "{text}");
            assert!(from_str::<Offer>(&text).is_err(), "{text}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let error = from_str::<IgnoredAny>(&deep).unwrap_err();
        assert!(error.to_string().contains("recursion limit"), "{error}");
        assert!(check(&deep).is_err());
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(from_str::<IgnoredAny>(&fine).is_ok());
    }

    #[test]
    fn check_takes_any_json() {
        for good in ["1.5e-3", r#"{"a": [1, -2.0, "x", null, true]}"#, " \"s\" "] {
            check(good).unwrap_or_else(|error| panic!("{good}: {error}"));
        }
        for bad in [
            "",
            "1.",
            "-",
            "{\"a\" 1}",
            "[1] [2]",
            "nul",
            "'a'",
            "{1: 2}",
        ] {
            assert!(check(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<IgnoredAny>(bad).is_err(), "{bad}");
        }
    }

    /// JSON values without fractions or exponents: what the server writes.
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(any::<String>(), inner, 0..6)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    /// Whether serde_json read a number of `value` as a float (a fraction, an exponent, `-0`, or
    /// an integer out of range), which this reader refuses.
    fn has_float(value: &Value) -> bool {
        match value {
            Value::Number(number) => number.is_f64(),
            Value::Array(values) => values.iter().any(has_float),
            Value::Object(map) => map.values().any(has_float),
            _ => false,
        }
    }

    proptest! {
        #[test]
        fn reads_any_json_the_server_writes_as_serde_json_does(value in json_value(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            prop_assert_eq!(from_str::<Value>(&text).unwrap(), value);
            prop_assert!(check(&text).is_ok());
            let raw: Raw = from_str(&text).unwrap();
            prop_assert_eq!(raw.get(), text.trim());
        }

        #[test]
        fn any_text_reads_as_serde_json_reads_it_or_not_at_all(text in "[\\[\\]{}\",:0-9.eE+\\-a-z\\\\ é😀]{0,24}") {
            let theirs = serde_json::from_str::<Value>(&text).ok();
            let ours = from_str::<Value>(&text).ok();
            prop_assert!(ours.is_none() || theirs.is_some(), "read what serde_json refuses");
            if theirs.as_ref().is_some_and(|value| !has_float(value)) {
                prop_assert_eq!(ours, theirs);
            }
            prop_assert_eq!(check(&text).is_ok(), serde_json::from_str::<IgnoredAny>(&text).is_ok());
        }
    }
}
