//! A map's fields read in one pass, then hydrated field by field as autosurgeon would.
//!
//! A struct deriving `Hydrate` looks each of its fields up in the document on its own: a seek into
//! the op set per field, and two for a field that may be missing (one to see whether it is there,
//! one to read it). An entry is read through sixteen fields, so reading one cost some twenty-five seeks,
//! each a little dearer as the journal grows. Here the map is walked once, and each field is then
//! handed to the same [`Hydrate`] methods autosurgeon's own lookup calls, with the same value:
//! what is read, and every error, is what the derived code gives.

use std::borrow::Cow;

use automerge::{ObjId, ObjType, ScalarValue, Value};
use autosurgeon::{Hydrate, HydrateError, ReadDoc};

/// The fields of one map as they are now: each key with the value that reads there (the winner
/// of any conflict, as a lookup of the key gives) and the id that holds it.
pub(crate) struct MapFields(Vec<(String, Value<'static>, ObjId)>);

impl MapFields {
    /// Walks the map `obj` of `doc` once.
    pub(crate) fn read<D: ReadDoc>(doc: &D, obj: &ObjId) -> Self {
        MapFields(
            doc.map_range(obj, ..)
                .map(|item| {
                    let id = item.id();
                    (item.key.into_owned(), item.value.into_value(), id)
                })
                .collect(),
        )
    }

    /// The value at `key` and the id that holds it, if the map has the key.
    pub(crate) fn get(&self, key: &str) -> Option<(&Value<'static>, &ObjId)> {
        self.0
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, value, id)| (value, id))
    }

    /// Whether the value at `key` is the string `value`.
    pub(crate) fn is_str(&self, key: &str, value: &str) -> bool {
        matches!(self.get(key), Some((Value::Scalar(s), _))
            if matches!(s.as_ref(), ScalarValue::Str(v) if v.as_str() == value))
    }

    /// The id of the map at `key`, if there is one.
    pub(crate) fn map(&self, key: &str) -> Option<&ObjId> {
        match self.get(key) {
            Some((Value::Object(ObjType::Map), id)) => Some(id),
            _ => None,
        }
    }

    /// The field `key`, read as `autosurgeon::hydrate_prop` reads it: a field that must be there.
    pub(crate) fn field<H: Hydrate, D: ReadDoc>(
        &self,
        doc: &D,
        key: &str,
    ) -> Result<H, HydrateError> {
        hydrate_found(doc, self.get(key))
    }

    /// The field `key`, read as a derived field of type `Option<H>` marked `missing = "none"`
    /// reads it: `None` when the map does not have the key or holds null there.
    pub(crate) fn optional<H: Hydrate, D: ReadDoc>(
        &self,
        doc: &D,
        key: &str,
    ) -> Result<Option<H>, HydrateError> {
        match self.get(key) {
            None => Ok(None),
            Some((Value::Scalar(v), _)) if matches!(v.as_ref(), ScalarValue::Null) => Ok(None),
            found => hydrate_found(doc, found).map(Some),
        }
    }
}

/// Hydrates what a lookup found, as `Hydrate::hydrate` does with what `ReadDoc::get` returns.
pub(crate) fn hydrate_found<H: Hydrate, D: ReadDoc>(
    doc: &D,
    found: Option<(&Value<'_>, &ObjId)>,
) -> Result<H, HydrateError> {
    match found {
        None => H::hydrate_none(),
        Some((Value::Object(ObjType::Map | ObjType::Table), id)) => H::hydrate_map(doc, id),
        Some((Value::Object(ObjType::List), id)) => H::hydrate_seq(doc, id),
        Some((Value::Object(ObjType::Text), id)) => H::hydrate_text(doc, id),
        Some((Value::Scalar(v), _)) => H::hydrate_scalar(Cow::Borrowed(v.as_ref())),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT, ReadDoc as _};
    use autosurgeon::{Hydrate, Text, hydrate_prop};

    use super::MapFields;

    fn none<T>() -> Option<T> {
        None
    }

    /// The same fields, read by autosurgeon's derived code.
    #[derive(Hydrate, Debug, PartialEq)]
    struct Derived {
        name: String,
        at: i64,
        #[autosurgeon(missing = "none")]
        body: Option<Text>,
        #[autosurgeon(missing = "none")]
        tags: Option<HashMap<String, i64>>,
        #[autosurgeon(missing = "none")]
        gone: Option<bool>,
    }

    fn one_pass(doc: &AutoCommit, obj: &automerge::ObjId) -> Result<Derived, String> {
        let f = MapFields::read(doc, obj);
        let read = || -> Result<Derived, autosurgeon::HydrateError> {
            Ok(Derived {
                name: f.field(doc, "name")?,
                at: f.field(doc, "at")?,
                body: f.optional(doc, "body")?,
                tags: f.optional(doc, "tags")?,
                gone: f.optional(doc, "gone")?,
            })
        };
        read().map_err(|e| e.to_string())
    }

    fn derived(doc: &AutoCommit, key: &str) -> Result<Derived, String> {
        hydrate_prop::<_, Derived, _, _>(doc, &ROOT, key).map_err(|e| e.to_string())
    }

    fn map(doc: &mut AutoCommit, key: &str) -> automerge::ObjId {
        doc.put_object(ROOT, key, automerge::ObjType::Map).unwrap()
    }

    #[test]
    fn reads_what_the_derived_code_reads_and_fails_as_it_fails() {
        let mut doc = AutoCommit::new();
        let whole = map(&mut doc, "whole");
        doc.put(&whole, "name", "Ada").unwrap();
        doc.put(&whole, "at", 7_i64).unwrap();
        let body = doc
            .put_object(&whole, "body", automerge::ObjType::Text)
            .unwrap();
        doc.splice_text(&body, 0, 0, "a long day").unwrap();
        let tags = doc
            .put_object(&whole, "tags", automerge::ObjType::Map)
            .unwrap();
        doc.put(&tags, "calm", 3_i64).unwrap();
        doc.put(&whole, "gone", automerge::ScalarValue::Null)
            .unwrap();

        let sparse = map(&mut doc, "sparse");
        doc.put(&sparse, "name", "Ben").unwrap();
        doc.put(&sparse, "at", 1_i64).unwrap();

        let missing = map(&mut doc, "missing");
        doc.put(&missing, "name", "Ben").unwrap();

        let wrong = map(&mut doc, "wrong");
        doc.put(&wrong, "name", 5_i64).unwrap();
        doc.put(&wrong, "at", "soon").unwrap();

        let wrong_later = map(&mut doc, "wrong_later");
        doc.put(&wrong_later, "name", "Ada").unwrap();
        doc.put(&wrong_later, "at", 2_i64).unwrap();
        doc.put(&wrong_later, "tags", "none").unwrap();

        for key in ["whole", "sparse", "missing", "wrong", "wrong_later"] {
            let obj = match doc.get(ROOT, key).unwrap() {
                Some((_, id)) => id,
                None => panic!("{key} was written"),
            };
            assert_eq!(one_pass(&doc, &obj), derived(&doc, key), "{key}");
        }
        assert!(one_pass(&doc, &whole).is_ok());
        assert!(one_pass(&doc, &missing).is_err());
        assert!(one_pass(&doc, &wrong_later).is_err());
    }

    #[test]
    fn a_conflict_reads_as_a_lookup_of_the_key_reads_it() {
        let mut ada = AutoCommit::new();
        let obj = map(&mut ada, "entry");
        ada.put(&obj, "name", "first").unwrap();
        ada.put(&obj, "at", 1_i64).unwrap();
        let mut ben = ada.fork();
        ada.put(&obj, "name", "Ada's").unwrap();
        ben.put(&obj, "name", "Ben's").unwrap();
        ben.put(&obj, "at", 2_i64).unwrap();
        ada.merge(&mut ben).unwrap();
        assert_eq!(ada.get_all(&obj, "name").unwrap().len(), 2, "a conflict");
        let read = one_pass(&ada, &obj).unwrap();
        assert_eq!(Ok(&read), derived(&ada, "entry").as_ref());
        assert_eq!(read.at, 2);
    }
}
