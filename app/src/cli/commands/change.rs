//! Changing the journal: `write`, `edit`, `comment`, `react`, `delete`, `respond`.
//!
//! Input is checked before the passphrase is asked for, so that a typo costs nothing; each change
//! is stored durably before the command returns.

use std::io::Read;

use anyhow::Result;
use hearth::{
    Content, Draft, Edit, EntryId, EntryKind, Hearth, Item, Mood, Named, ResolveError, TodayError,
    Turn, WriteError,
};

use super::open::open;
use super::with;
use crate::cli::Ctx;
use crate::cli::args::{
    CommentArgs, EditArgs, IdArgs, KindArg, ReactArgs, RespondArgs, RestoreArgs, TurnArg, WriteArgs,
};
use crate::cli::exit::fail;
use crate::cli::output;

/// Gratitude is three ways the partner lit up the day.
const GRATITUDE_LINES: usize = 3;

/// The text of an argument, or all of standard input for `-` (without its final newlines).
pub(crate) fn read_text(arg: Option<String>) -> Result<Option<String>> {
    match arg.as_deref() {
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| fail(format!("could not read standard input: {e}")))?;
            Ok(Some(text.trim_end_matches(['\n', '\r']).to_owned()))
        }
        _ => Ok(arg),
    }
}

/// The lines of a gratitude entry: each trimmed, blank ones left out.
fn gratitude_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A refused change as one sentence.
pub(crate) fn write_error(e: WriteError) -> anyhow::Error {
    match e {
        WriteError::Refused(hearth::Refusal::NotReady) => fail(
            "your partner's journal has not arrived on this device yet; run `hearth sync` while \
             their device is online",
        ),
        WriteError::Refused(refused) => fail(refused.to_string()),
        e => anyhow::Error::new(e),
    }
}

/// The entry an id (or its beginning) names.
pub(crate) async fn resolve(hearth: &Hearth, typed: &str) -> Result<EntryId> {
    hearth.resolve_id(typed).await.map_err(resolve_error)
}

/// The entry or comment an id (or its beginning) names.
async fn resolve_any(hearth: &Hearth, typed: &str) -> Result<Named> {
    hearth.resolve(typed).await.map_err(resolve_error)
}

fn resolve_error(e: ResolveError) -> anyhow::Error {
    match e {
        ResolveError::Unknown { .. } => fail(format!("{e}; `hearth list` shows the ids")),
        ResolveError::Closed(closed) => closed.into(),
        e => fail(e.to_string()),
    }
}

/// The entry an id typed by a person names, with its full id.
pub(crate) async fn resolve_entry(hearth: &Hearth, typed: &str) -> Result<(EntryId, Item)> {
    let id = resolve(hearth, typed).await?;
    let item = hearth
        .entry(&id)
        .await?
        .ok_or_else(|| fail(format!("no entry {id}")))?;
    Ok((id, item))
}

/// Checks a `write` before anything is opened, and returns its text.
fn draft_text(args: &WriteArgs) -> Result<String> {
    let kind = args.kind;
    if args.mood.is_some() && kind != KindArg::Checkin {
        return Err(fail("--mood goes with --kind checkin"));
    }
    if kind == KindArg::Checkin && args.mood.is_none() {
        return Err(fail(
            "a check-in needs --mood 1-10: how you are, inside, right now",
        ));
    }
    if args.bid.is_some() && kind != KindArg::Bid {
        return Err(fail("--bid goes with --kind bid"));
    }
    if (args.hard.is_some() || args.helped.is_some()) && kind != KindArg::Debrief {
        return Err(fail("--hard and --helped go with --kind debrief"));
    }
    if kind == KindArg::Debrief {
        if args.text.is_some() {
            return Err(fail(
                "an evening debrief takes --hard \"...\" and --helped \"...\" instead of a text",
            ));
        }
        let given = |t: &Option<String>| t.as_deref().is_some_and(|t| !t.trim().is_empty());
        if !given(&args.hard) && !given(&args.helped) {
            return Err(fail(
                "an evening debrief needs --hard (what was hard today), --helped (what helped), \
                 or both",
            ));
        }
        return Ok(String::new());
    }
    if args.open_at.is_some() && kind != KindArg::Letter {
        return Err(fail("--open-at goes with --kind letter"));
    }
    if kind == KindArg::Letter && args.open_at.is_none() {
        return Err(fail(
            "a letter for later needs --open-at \"YYYY-MM-DD HH:MM\": when it opens",
        ));
    }
    if args.private && kind == KindArg::Letter {
        return Err(fail(
            "a letter for later is for your partner; it cannot be private",
        ));
    }
    if args.private && kind == KindArg::Answer {
        return Err(fail(
            "answers to the question of the day are shared; they cannot be private",
        ));
    }
    let text = read_text(args.text.clone())?.unwrap_or_default();
    let needs_text = !matches!(kind, KindArg::Checkin | KindArg::Bid);
    if needs_text && text.trim().is_empty() {
        return Err(fail(
            "nothing to write: give the text, or `-` to read it from standard input",
        ));
    }
    if kind == KindArg::Gratitude {
        let n = gratitude_lines(&text).len();
        if n > GRATITUDE_LINES {
            return Err(fail(format!(
                "gratitude takes up to three lines, one per way they lit up your day; {n} given"
            )));
        }
    }
    Ok(text)
}

pub(crate) async fn write(ctx: &Ctx, args: WriteArgs) -> Result<()> {
    let text = draft_text(&args)?;
    let hearth = open(ctx, None).await?;
    let id = with(hearth, async |h| {
        let partner = h.partner().await?.map(|m| m.id);
        let content = match args.kind.kind() {
            EntryKind::Answer => {
                let today = h.today().await.map_err(|e| match e {
                    TodayError::Closed(closed) => closed.into(),
                    e => fail(e.to_string()),
                })?;
                if let Some(mine) = today.answers.mine {
                    return Err(fail(format!(
                        "you have answered today's question already; change your answer with \
                         `hearth edit {} TEXT`",
                        mine.id
                    )));
                }
                return h.answer_today(&text).await.map_err(write_error);
            }
            EntryKind::Journal => Content::Journal { body: text },
            EntryKind::Letter => {
                let (day, time) = args.open_at.ok_or_else(|| fail("--open-at is missing"))?;
                let opens_at = ctx.zone.moment(day, time.minutes()).ok_or_else(|| {
                    fail("that moment does not exist here; give another --open-at")
                })?;
                if opens_at <= hearth::UnixMs::now() {
                    return Err(fail(
                        "a letter for later opens later: give an --open-at after now",
                    ));
                }
                Content::Letter {
                    opens_at,
                    body: text,
                }
            }
            EntryKind::Debrief => Content::Debrief {
                hard: args.hard.as_deref().unwrap_or_default().trim().to_owned(),
                helped: args.helped.as_deref().unwrap_or_default().trim().to_owned(),
            },
            EntryKind::CheckIn => Content::CheckIn {
                mood: Mood::new(i64::from(args.mood.unwrap_or_default()))?,
                why: text,
            },
            EntryKind::Gratitude => Content::Gratitude {
                to: partner,
                lines: gratitude_lines(&text),
            },
            EntryKind::Appreciation => Content::Appreciation {
                to: partner,
                body: text,
            },
            EntryKind::Bid => Content::Bid {
                to: partner,
                bid: args.bid.map_or(hearth::BidKind::ThinkingOfYou, |b| b.bid()),
                body: text,
                response: None,
            },
        };
        let debrief = matches!(content, Content::Debrief { .. });
        let draft = Draft {
            content,
            private: args.private,
        };
        let id = h.write(draft).await.map_err(write_error)?;
        if debrief && !args.private {
            let status = h.status().await?;
            let older: Vec<String> = status
                .members
                .iter()
                .flat_map(|m| &m.devices)
                .chain(&status.home_devices)
                .filter(|d| d.older_hearth)
                .map(|d| status.device_label(d.id))
                .collect();
            output::change::older_devices(&ctx.term, &older);
        }
        Ok(id)
    })
    .await?;
    output::change::added(&id);
    Ok(())
}

/// The edits that turn an entry's content into what was asked.
fn edits_for(content: &Content, text: Option<String>, args: &EditArgs) -> Result<Vec<Edit>> {
    let mut edits = Vec::new();
    if let Some(m) = args.mood {
        if !matches!(content, Content::CheckIn { .. }) {
            return Err(fail("--mood changes only a check-in's rating"));
        }
        edits.push(Edit::Mood(Mood::new(i64::from(m))?));
    }
    match (content, text, args.line) {
        (_, None, Some(_)) => return Err(fail("--line needs the line's new text")),
        (Content::Debrief { .. }, Some(text), Some(line)) => {
            if line > 2 {
                return Err(fail(
                    "an evening debrief has two parts: --line 1 (what was hard) or --line 2 \
                     (what helped)",
                ));
            }
            edits.push(Edit::Line {
                index: usize::try_from(line - 1).unwrap_or_default(),
                text: text.trim().to_owned(),
            });
        }
        (Content::Debrief { .. }, Some(_), None) => {
            return Err(fail(
                "change an evening debrief one part at a time: --line 1 (what was hard) or \
                 --line 2 (what helped)",
            ));
        }
        (Content::Gratitude { lines, .. }, Some(text), Some(line)) => {
            let index = usize::try_from(line - 1).unwrap_or(usize::MAX);
            if index >= lines.len() {
                return Err(fail(format!(
                    "that gratitude entry has {} lines; there is no line {line}",
                    lines.len()
                )));
            }
            edits.push(Edit::Line {
                index,
                text: text.trim().to_owned(),
            });
        }
        (_, Some(_), Some(_)) => {
            return Err(fail(
                "--line changes only a gratitude entry or an evening debrief",
            ));
        }
        (Content::Gratitude { lines, .. }, Some(text), None) => {
            let new = gratitude_lines(&text);
            if new.len() != lines.len() {
                return Err(fail(format!(
                    "that gratitude entry has {} lines; give as many, or change one with --line N",
                    lines.len()
                )));
            }
            for (index, (old, new)) in lines.iter().zip(new).enumerate() {
                if *old != new {
                    edits.push(Edit::Line { index, text: new });
                }
            }
        }
        (_, Some(text), None) => edits.push(Edit::Body(text)),
        (_, None, None) => {}
    }
    if edits.is_empty() && args.mood.is_none() {
        return Err(fail(
            "nothing to change: give the new text (or --mood for a check-in)",
        ));
    }
    Ok(edits)
}

pub(crate) async fn edit(ctx: &Ctx, args: EditArgs) -> Result<()> {
    let text = read_text(args.text.clone())?;
    if text.is_none() && args.mood.is_none() {
        return Err(fail(
            "nothing to change: give the new text (or --mood for a check-in)",
        ));
    }
    let hearth = open(ctx, None).await?;
    let id = with(hearth, async |h| {
        if let Named::Comment { entry, comment } = resolve_any(h, &args.id).await? {
            let text = match (text, args.mood, args.line) {
                (Some(text), None, None) => text,
                _ => return Err(fail("a comment has only its text to change")),
            };
            h.edit_comment(&entry, &comment, &text)
                .await
                .map_err(write_error)?;
            return Ok(comment);
        }
        let (id, item) = resolve_entry(h, &args.id).await?;
        for edit in edits_for(&item.entry.content, text, &args)? {
            h.edit(&id, edit).await.map_err(write_error)?;
        }
        Ok(id)
    })
    .await?;
    output::change::changed(&id);
    Ok(())
}

pub(crate) async fn comment(ctx: &Ctx, args: CommentArgs) -> Result<()> {
    let text = read_text(Some(args.text))?.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(fail("the comment is empty"));
    }
    let hearth = open(ctx, None).await?;
    let id = with(hearth, async |h| {
        let id = resolve(h, &args.id).await?;
        h.comment(&id, &text).await.map_err(write_error)
    })
    .await?;
    output::change::added(&id);
    Ok(())
}

pub(crate) async fn react(ctx: &Ctx, args: ReactArgs) -> Result<()> {
    let emoji = args.emoji.trim().to_owned();
    if emoji.is_empty() {
        return Err(fail("which emoji? e.g. `hearth react ID ❤️`"));
    }
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let id = resolve(h, &args.id).await?;
        h.react(&id, &emoji, !args.undo).await.map_err(write_error)
    })
    .await
}

pub(crate) async fn delete(ctx: &Ctx, args: IdArgs) -> Result<()> {
    let hearth = open(ctx, None).await?;
    let id = with(hearth, async |h| match resolve_any(h, &args.id).await? {
        Named::Entry(id) => {
            h.delete(&id).await.map_err(write_error)?;
            Ok(id)
        }
        Named::Comment { entry, comment } => {
            h.delete_comment(&entry, &comment)
                .await
                .map_err(write_error)?;
            Ok(comment)
        }
    })
    .await?;
    output::change::deleted(&id);
    Ok(())
}

pub(crate) async fn open_answer(ctx: &Ctx, args: IdArgs) -> Result<()> {
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let (id, item) = resolve_entry(h, &args.id).await?;
        if item.entry.kind() != EntryKind::Answer {
            return Err(fail("only an answer to the question of the day opens"));
        }
        if item.entry.author != h.me().await?.id {
            return Err(fail("that answer is your partner's; only they can open it"));
        }
        h.open_answer(&id).await.map_err(write_error)
    })
    .await
}

pub(crate) async fn restore(ctx: &Ctx, args: RestoreArgs) -> Result<()> {
    if args.version == 0 {
        return Err(fail(
            "versions are numbered from 1; `hearth history ID` lists them",
        ));
    }
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let (id, item) = resolve_entry(h, &args.id).await?;
        if item.entry.author != h.me().await?.id {
            return Err(fail(
                "your partner wrote that entry; only they can bring back an earlier version",
            ));
        }
        let version = h.restore(&id, args.version).await.map_err(write_error)?;
        output::change::restored(&id, version.number);
        Ok(())
    })
    .await
}

pub(crate) async fn respond(ctx: &Ctx, args: RespondArgs) -> Result<()> {
    let turn = match args.turn {
        TurnArg::Toward => Turn::Toward,
        TurnArg::Later => Turn::Later,
    };
    let hearth = open(ctx, None).await?;
    with(hearth, async |h| {
        let (id, item) = resolve_entry(h, &args.id).await?;
        if item.entry.kind() != EntryKind::Bid {
            return Err(fail("only a bid for connection takes a response"));
        }
        if item.entry.author == h.me().await?.id {
            return Err(fail("that bid is yours; your partner answers it"));
        }
        h.respond(&id, turn).await.map_err(write_error)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gratitude_lines_are_trimmed_and_blank_ones_dropped() {
        assert_eq!(
            gratitude_lines("  the tea \n\nthe joke\r\nthe walk\n"),
            vec!["the tea", "the joke", "the walk"]
        );
    }
}
