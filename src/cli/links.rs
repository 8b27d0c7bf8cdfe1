//! `mp4u links [CODE...] [--folder FOLDER] [--format F]`: the links of files, as sites take
//! them ([`crate::links::render`]).
//!
//! Codes and `--folder` do not mix (exit 2): the order of a mixed list would be a guess. Given
//! codes, the files come in that order (names from `file/info`, 50 a call); a code with no file
//! is named once on stderr and the run exits 1 after printing the rest. Given a folder, its
//! files (not those of its subfolders) come in name order, numbers by value, as the file
//! manager sorts by name; a listing that could not be completed prints what came, says why
//! on stderr and exits 1.

use std::io::Write;

use clap::Args;

use super::files::no_such_files;
use super::{Context, Failure, FolderArg, codes_from};
use crate::api::{Completeness, FileInfo, FileListQuery};
use crate::links::{LinkFile, LinkFormat, render};

#[derive(Debug, Args)]
#[command(
    group = clap::ArgGroup::new("which").required(true).args(["codes", "folder"]),
    after_help = "Formats: plain https://www.mp4upload.com/CODE, embed …/embed-CODE.html, \
        bbcode [url=LINK]NAME[/url], html <a href=\"LINK\">NAME</a>, markdown [NAME](LINK), \
        csv (a header, then name,code,link,embed,size,uploaded,folder per file), json (an array of \
        objects with those fields; --json is the same).\n\n\
        Example: mp4u links --folder \"/Anime/Frieren/Season 1\" --format bbcode"
)]
pub struct LinksArgs {
    /// File codes or links, in the order to print
    #[arg(value_name = "CODE", conflicts_with = "folder")]
    codes: Vec<String>,
    /// Every file of this folder (an id, or a path like "/Anime/Season 1"), by name
    #[arg(long, value_name = "FOLDER")]
    folder: Option<FolderArg>,
    /// plain, embed, bbcode, html, markdown, csv or json [default: plain]
    #[arg(long, value_name = "FORMAT", value_parser = LinkFormat::parse)]
    format: Option<LinkFormat>,
}

pub async fn run(cx: &Context, args: &LinksArgs) -> Result<(), Failure> {
    let format = match (cx.json, args.format) {
        (false, format) => format.unwrap_or_default(),
        (true, None | Some(LinkFormat::Json)) => LinkFormat::Json,
        (true, Some(other)) => {
            return Err(Failure::Usage(format!(
                "--json prints JSON; it cannot go with --format {other}"
            )));
        }
    };
    let (files, problem, folder_path) = match &args.folder {
        Some(folder) => folder_files(cx, folder).await?,
        None => {
            let (files, problem) = code_files(cx, &args.codes).await?;
            (files, problem, None)
        }
    };
    let links: Vec<LinkFile> = files
        .iter()
        .map(|f| LinkFile::from_info(f).in_folder(folder_path.clone()))
        .collect();
    let text = render(format, cx.client.base_url(), &links);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`mp4u links … | head`) is not an error worth a message.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    match problem {
        None => Ok(()),
        Some(failure) => Err(failure),
    }
}

/// The files of the codes, in order; the missing ones as the failure to end with.
async fn code_files(
    cx: &Context,
    codes: &[String],
) -> Result<(Vec<FileInfo>, Option<Failure>), Failure> {
    let codes = codes_from(codes, super::link_host(&cx.client).as_deref())?;
    let files = cx.client.file_info(&codes).await?;
    let missing: Vec<&str> = files
        .iter()
        .filter(|f| !f.exists())
        .map(|f| f.file_code.as_str())
        .collect();
    let problem = (!missing.is_empty()).then(|| no_such_files(&missing));
    let found = files.iter().filter(|f| f.exists()).cloned().collect();
    Ok((found, problem))
}

/// The files of a folder by name; an incomplete listing as the failure to end with.
async fn folder_files(
    cx: &Context,
    folder: &FolderArg,
) -> Result<(Vec<FileInfo>, Option<Failure>, Option<String>), Failure> {
    let folder = folder.resolve(&cx.client).await?;
    let listing = cx
        .client
        .file_list_all(
            &FileListQuery {
                fld_id: Some(folder.id),
                ..FileListQuery::default()
            },
            None,
        )
        .await?;
    let mut files = listing.files;
    files.sort_by(|a, b| {
        crate::format::natural_cmp(
            a.name.as_deref().unwrap_or(&a.file_code),
            b.name.as_deref().unwrap_or(&b.file_code),
        )
        .then_with(|| a.file_code.cmp(&b.file_code))
    });
    if files.is_empty() && listing.completeness.is_complete() {
        eprintln!("mp4u: note: {folder} holds no files (links does not look into subfolders)");
    }
    let problem = match listing.completeness {
        Completeness::Complete => None,
        Completeness::Incomplete(why) => Some(Failure::Api(format!(
            "the listing of {folder} may be incomplete: {why}"
        ))),
    };
    let path = match (&folder.path, folder.id) {
        (Some(path), _) => Some(path.clone()),
        (None, crate::api::ROOT_FOLDER) => Some("/".into()),
        (None, _) => None,
    };
    Ok((files, problem, path))
}
