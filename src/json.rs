//! Reading JSON into the page's types, as objects only.
//!
//! serde's derived reader of a struct also accepts the struct written as an array of its field
//! values (`visit_seq`), and serde_json offers it both ways, so every struct the page reads
//! carries a second, positional reader that the server never needs: it always writes objects.
//! [`from_str`] reads through [`Objects`], a `Deserializer` that forwards everything to
//! serde_json unchanged except that a struct is only ever read from a JSON object. The
//! positional readers are then never called, so they are never compiled into the page (3 to 6
//! KB gzipped of each bundle; BENCHMARKS.md).
//!
//! Every other wrapper here exists to keep that true all the way down: the values inside a map,
//! a sequence, an option or an enum are read through `Objects` again.

use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

/// Reads `text` as one JSON value of type `T`, whose structs are JSON objects.
pub fn from_str<T: DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    let mut json = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(Objects(&mut json))?;
    json.end()?;
    Ok(value)
}

/// A deserializer that reads structs from objects only; everything else as `D` does.
struct Objects<D>(D);

/// A visitor forwarding everything to `V`, wrapping what it hands on.
struct Forward<V>(V);

/// A struct's visitor: forwards a map to `V`, and refuses anything else (an array) without
/// calling `V`, so `V`'s positional reader is never instantiated.
struct FieldsOnly<V>(V);

/// A seed whose value is read through [`Objects`].
struct Seed<S>(S);

/// The entries of a JSON object, each read through [`Objects`].
struct Entries<A>(A);

/// The elements of a JSON array, each read through [`Objects`].
struct Elements<A>(A);

/// An enum's variant and its content, read through [`Objects`].
struct Variant<A>(A);

macro_rules! forward_deserialize {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Forward(visitor))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Objects<D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Forward(visitor))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Forward(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Forward(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Forward(visitor))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_struct(name, fields, FieldsOnly(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Forward(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($type:ty))*) => {$(
        fn $method<E: de::Error>(self, value: $type) -> Result<V::Value, E> {
            self.0.$method(value)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Forward<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(formatter)
    }

    forward_visit! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64)
        visit_i128(i128) visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64)
        visit_u128(u128) visit_f32(f32) visit_f64(f64) visit_char(char) visit_str(&str)
        visit_borrowed_str(&'de str) visit_string(String) visit_bytes(&[u8])
        visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Objects(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Objects(deserializer))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Elements(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Entries(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Variant(data))
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for FieldsOnly<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(formatter)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Entries(map))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Objects(deserializer))
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Entries<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Seed(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Elements<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Variant<A> {
    type Error = A::Error;
    type Variant = Variant<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Variant<A::Variant>), A::Error> {
        let (value, variant) = self.0.variant_seed(Seed(seed))?;
        Ok((value, Variant(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Variant<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Forward(visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, FieldsOnly(visitor))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::value::RawValue;

    use super::from_str;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Flat,
        PerUser { min: u32 },
        Priced(String),
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
        lines: Vec<Line>,
        by_name: BTreeMap<String, Line>,
        maybe: Option<Box<Line>>,
    }

    const OFFER: &str = r#"{
        "id": "mpo-1",
        "lines": [
            {"name": "a", "kind": "flat", "pair": [1, "x"], "unknown": [1, {"b": 2}]},
            {"name": "b", "kind": {"per_user": {"min": 3}}, "note": "n", "pair": [2, "y"]}
        ],
        "by_name": {"c": {"name": "c", "kind": {"priced": "9.50"}, "pair": [3, "z"]}},
        "maybe": {"name": "d", "kind": "flat", "note": null, "pair": [4, "w"]}
    }"#;

    #[test]
    fn reads_what_serde_json_reads_from_objects() {
        let ours: Offer = from_str(OFFER).unwrap();
        let theirs: Offer = serde_json::from_str(OFFER).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.lines[1].kind, Kind::PerUser { min: 3 });
        assert_eq!(ours.by_name["c"].kind, Kind::Priced("9.50".to_owned()));
        assert_eq!(ours.maybe.unwrap().pair, (4, "w".to_owned()));
    }

    #[test]
    fn raw_values_stay_raw() {
        let page: BTreeMap<String, Box<RawValue>> =
            from_str(r#"{"offers": [{"id": "x"}], "next_cursor": null}"#).unwrap();
        assert_eq!(page["offers"].get(), r#"[{"id": "x"}]"#);
        assert_eq!(page["next_cursor"].get(), "null");
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
        for text in [
            r#"{"id": "x", "lines": [], "by_name": {}, "maybe": null} trailing"#,
            r#"{"id": 1, "lines": [], "by_name": {}, "maybe": null}"#,
            r#"{"lines": [], "by_name": {}, "maybe": null}"#,
            r#"{"id": "x", "lines": [{"name": "a", "kind": "round", "pair": [1, "x"]}], "by_name": {}, "maybe": null}"#,
            "",
        ] {
            let ours = from_str::<Offer>(text).unwrap_err().to_string();
            let theirs = serde_json::from_str::<Offer>(text).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{text}");
        }
    }
}
