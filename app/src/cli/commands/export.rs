//! `hearth export`: the shared journal as Markdown, JSON or the Automerge document. The file is
//! written beside its final place and renamed, so a reader never sees half of it.

use anyhow::Result;
use hearth::{Filter, Format};

use super::open::open;
use super::with;
use crate::cli::Ctx;
use crate::cli::args::{ExportArgs, FormatArg};
use crate::cli::exit::fail;
use crate::cli::output;

fn format_of(args: &ExportArgs) -> Format {
    match args.format {
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Json => Format::Json,
        FormatArg::Automerge if args.with_history => Format::AutomergeWithHistory,
        FormatArg::Automerge => Format::Automerge,
    }
}

pub(crate) async fn run(ctx: &Ctx, args: ExportArgs) -> Result<()> {
    if args.with_history && args.format != FormatArg::Automerge {
        return Err(fail(
            "--with-history goes with --format automerge: only the Automerge document has a \
             history",
        ));
    }
    let format = format_of(&args);
    let to_stdout = args.out.as_os_str() == "-";
    if to_stdout && args.format == FormatArg::Automerge && ctx.term.stdout_tty {
        return Err(fail(
            "an Automerge document is binary; write it to a file with --out PATH",
        ));
    }
    if !to_stdout {
        if args.out.is_dir() {
            return Err(fail(format!(
                "{} is a directory; give the file to write",
                args.out.display()
            )));
        }
        if let Some(parent) = args.out.parent()
            && !parent.as_os_str().is_empty()
            && !parent.is_dir()
        {
            return Err(fail(format!("there is no directory {}", parent.display())));
        }
    }
    let hearth = open(ctx, None).await?;
    let (bytes, entries) = with(hearth, async |h| {
        let bytes = h.export(format).await?;
        let entries = h
            .timeline(&Filter::default(), None, usize::MAX)
            .await?
            .items
            .iter()
            .filter(|i| !i.private)
            .count();
        Ok((bytes, entries))
    })
    .await?;
    output::export::warn(format);
    if to_stdout {
        output::export::to_stdout(&bytes);
        return Ok(());
    }
    crate::export_file::write(&args.out, &bytes)
        .map_err(|e| fail(format!("could not write {}: {e}", args.out.display())))?;
    output::export::exported(entries, args.format, &args.out);
    Ok(())
}
