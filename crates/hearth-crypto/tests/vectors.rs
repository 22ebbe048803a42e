//! Known-answer tests: every file under tests/vectors/ is one case, whose expected values are
//! also printed in docs/protocol.md. A case fails if any computed value differs from its file.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use data_encoding::HEXLOWER;
use hearth_crypto::frame::session;
use hearth_crypto::pairing::{Grant, Inviter, Joiner};
use hearth_crypto::{
    InvitationSecret, JournalKey, KdfParams, Passphrase, StorageKey, Ticket, at_rest, wrap_key,
};

/// One vector file: `name: value` lines; `#` starts a comment.
struct Case {
    path: PathBuf,
    fields: BTreeMap<String, String>,
}

impl Case {
    fn read(path: &Path) -> Self {
        let text = fs::read_to_string(path).expect("vector file is readable UTF-8");
        let mut fields = BTreeMap::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) = line.split_once(':').expect("vector line is `name: value`");
            let old = fields.insert(name.trim().to_owned(), value.trim().to_owned());
            assert!(old.is_none(), "{}: {name} given twice", path.display());
        }
        Self {
            path: path.to_owned(),
            fields,
        }
    }

    fn text(&self, name: &str) -> &str {
        self.fields
            .get(name)
            .unwrap_or_else(|| panic!("{}: missing {name}", self.path.display()))
    }

    fn hex(&self, name: &str) -> Vec<u8> {
        HEXLOWER
            .decode(self.text(name).as_bytes())
            .unwrap_or_else(|e| panic!("{}: {name} is not lowercase hex: {e}", self.path.display()))
    }

    fn array<const N: usize>(&self, name: &str) -> [u8; N] {
        self.hex(name)
            .try_into()
            .unwrap_or_else(|_| panic!("{}: {name} is not {N} bytes", self.path.display()))
    }

    fn u64(&self, name: &str) -> u64 {
        self.text(name).parse().expect("decimal number")
    }

    /// Compares computed outputs with the file; reports every difference at once.
    fn expect(&self, computed: &[(&str, String)]) {
        let wrong: Vec<String> = computed
            .iter()
            .filter(|(name, value)| self.fields.get(*name) != Some(value))
            .map(|(name, value)| format!("{name}: {value}"))
            .collect();
        assert!(
            wrong.is_empty(),
            "{}: these values differ from the file (computed values shown):\n{}",
            self.path.display(),
            wrong.join("\n")
        );
    }
}

fn hex(bytes: &[u8]) -> String {
    HEXLOWER.encode(bytes)
}

fn cases(prefix: &str) -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/vectors exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        })
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no {prefix}* vectors");
    paths.iter().map(|p| Case::read(p)).collect()
}

fn run_pairing(case: &Case) {
    let now = case.u64("now_ms");
    let deadline = now + 60_000;
    let joiner_id = case.array::<32>("joiner_id");
    let ticket = Ticket::new(
        case.array("inviter_id"),
        None,
        vec![],
        InvitationSecret::from_bytes(case.array("invitation_secret")),
        now,
    )
    .expect("ticket");
    let mut inviter = Inviter::new(
        &ticket,
        joiner_id,
        case.array("inviter_ephemeral"),
        deadline,
    );
    let (mut joiner, commit) = Joiner::start(
        &ticket,
        joiner_id,
        case.array("joiner_ephemeral"),
        now,
        deadline,
    )
    .expect("start");
    let inviter_key = inviter
        .handle_message(now, &commit)
        .expect("commit")
        .send
        .expect("send");
    let joiner_key = joiner
        .handle_message(now, &inviter_key)
        .expect("key")
        .send
        .expect("send");
    let step = inviter
        .handle_message(now, &joiner_key)
        .expect("joiner key");
    let sas = step.sas.expect("sas");
    let inviter_confirm = step.send.expect("send");
    assert_eq!(
        joiner
            .handle_message(now, &inviter_confirm)
            .expect("confirm")
            .sas,
        Some(sas)
    );
    let sas_confirmed = joiner
        .confirm_sas(now, &case.hex("joiner_payload"))
        .expect("joiner confirms")
        .send
        .expect("send");
    let _ = inviter
        .handle_message(now, &sas_confirmed)
        .expect("sas confirmed");
    let grant = Grant::new(
        JournalKey::from_bytes(case.array("journal_key")),
        case.hex("grant_payload"),
    );
    let grant_msg = inviter
        .confirm_sas(now, grant)
        .expect("confirm")
        .send
        .expect("send");
    let step = joiner.handle_message(now, &grant_msg).expect("grant");
    let granted = step.granted.expect("granted");
    assert_eq!(
        granted.journal_key().expose(),
        &case.array::<32>("journal_key")
    );
    let ack = step.send.expect("ack");
    let joined = inviter
        .handle_message(now, &ack)
        .expect("ack")
        .joined
        .expect("joined");
    assert_eq!(joined.payload, case.hex("joiner_payload"));

    case.expect(&[
        ("inviter_public", hex(&inviter_key[2..])),
        ("joiner_public", hex(&joiner_key[2..34])),
        ("msg_commit", hex(&commit)),
        ("msg_inviter_key", hex(&inviter_key)),
        ("msg_joiner_key", hex(&joiner_key)),
        ("msg_inviter_confirm", hex(&inviter_confirm)),
        ("msg_sas_confirmed", hex(&sas_confirmed)),
        ("msg_grant", hex(&grant_msg)),
        ("msg_ack", hex(&ack)),
        ("sas_bits", format!("{:011x}", sas.bits())),
        ("sas_digits", sas.digits()),
        ("sas_emoji", sas.emoji_names()),
    ]);
}

#[test]
fn pairing_vectors() {
    for case in cases("pairing-") {
        run_pairing(&case);
    }
}

#[test]
fn frame_vectors() {
    for case in cases("frame-") {
        let key = JournalKey::from_bytes(case.array("journal_key"));
        let epoch = u32::try_from(case.u64("epoch")).expect("an epoch fits in u32");
        let (a_id, a_nonce) = (case.array("a_id"), case.array("a_nonce"));
        let (b_id, b_nonce) = (case.array("b_id"), case.array("b_nonce"));
        let (mut a_sealer, _) = session(&key, epoch, a_id, a_nonce, b_id, b_nonce).expect("a");
        let (mut b_sealer, mut b_opener) =
            session(&key, epoch, b_id, b_nonce, a_id, a_nonce).expect("b");
        let a0 = a_sealer.seal(&case.hex("plaintext_a0")).expect("seal");
        let a1 = a_sealer.seal(&case.hex("plaintext_a1")).expect("seal");
        let b0 = b_sealer.seal(&case.hex("plaintext_b0")).expect("seal");
        assert_eq!(
            b_opener.open_frame(&a0).expect("open").as_slice(),
            case.hex("plaintext_a0")
        );
        case.expect(&[
            ("frame_a0", hex(&a0)),
            ("frame_a1", hex(&a1)),
            ("frame_b0", hex(&b0)),
        ]);
    }
}

#[test]
fn ticket_vectors() {
    for case in cases("ticket-") {
        let now = case.u64("now_ms");
        let relay = case.text("relay_url");
        let addrs = case.text("direct_addrs");
        let ticket = Ticket::new(
            case.array("endpoint_id"),
            (!relay.is_empty()).then(|| relay.to_owned()),
            addrs
                .split_whitespace()
                .map(|a| a.parse().expect("socket address"))
                .collect(),
            InvitationSecret::from_bytes(case.array("secret")),
            now,
        )
        .expect("ticket");
        case.expect(&[
            ("bytes", hex(&ticket.to_bytes())),
            ("text", ticket.to_text()),
            ("grouped_text", ticket.to_grouped_text()),
        ]);
        assert_eq!(
            Ticket::from_text(case.text("text"), now).as_ref(),
            Ok(&ticket)
        );
        assert_eq!(
            Ticket::from_text(case.text("grouped_text"), now).as_ref(),
            Ok(&ticket)
        );
    }
}

#[test]
fn at_rest_vectors() {
    for case in cases("at-rest-") {
        let key = StorageKey::from_bytes(case.array("key"));
        let sealed = at_rest::seal(
            &key,
            case.array("nonce"),
            &case.hex("aad"),
            &case.hex("plaintext"),
        );
        case.expect(&[("sealed", hex(&sealed))]);
    }
}

#[test]
fn wrapped_key_vectors() {
    for case in cases("wrapped-key-") {
        let params = KdfParams {
            memory_kib: u32::try_from(case.u64("memory_kib")).expect("u32"),
            iterations: u32::try_from(case.u64("iterations")).expect("u32"),
            parallelism: u32::try_from(case.u64("parallelism")).expect("u32"),
        };
        let wrapped = wrap_key(
            &StorageKey::from_bytes(case.array("key")),
            &Passphrase::new(case.text("passphrase")),
            params,
            case.array("salt"),
            case.array("nonce"),
        )
        .expect("wrap");
        case.expect(&[("wrapped", hex(&wrapped.to_bytes()))]);
    }
}

/// docs/protocol.md prints every vector; keep it in step with the files.
#[test]
fn protocol_doc_shows_every_vector_value() {
    let doc_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/protocol.md");
    let doc = fs::read_to_string(&doc_path).expect("docs/protocol.md is readable");
    for prefix in ["pairing-", "frame-", "ticket-", "at-rest-", "wrapped-key-"] {
        for case in cases(prefix) {
            for (name, value) in &case.fields {
                assert!(
                    doc.contains(value.as_str()),
                    "docs/protocol.md lacks {name} of {}",
                    case.path.display()
                );
            }
        }
    }
}
