//! A folder as every command takes one: an id (`16`; 0 is the root) or a path from the root
//! (`/Anime/Frieren/Season 1`). A path is found by walking `folder/list` from the root, one call
//! per component; each component matches a subfolder's name exactly, else in any case when only
//! one does.

use std::fmt;

use super::Failure;
use crate::api::{Client, Pick, ROOT_FOLDER, pick};

/// What the help says of a `FOLDER`.
pub const HELP: &str = "an id, or a path like \"/Anime/Season 1\" (0 or / is the root)";

/// A folder as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FolderArg {
    Id(u64),
    /// The components of a path from the root; none is the root.
    Path(Vec<String>),
}

impl fmt::Display for FolderArg {
    /// `folder 16`, or `/Anime/Season 1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FolderArg::Id(id) => write!(f, "folder {id}"),
            FolderArg::Path(parts) => write!(f, "/{}", parts.join("/")),
        }
    }
}

impl FolderArg {
    /// All digits: an id. Anything else: a path from the root, its leading `/` optional, a
    /// trailing `/` and empty components ignored (`/` alone is the root). Write `/2023` for a
    /// folder of the root named 2023.
    pub fn parse(text: &str) -> Result<FolderArg, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("an empty folder: give an id, or a path (0 or / is the root)".into());
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return text
                .parse()
                .map(FolderArg::Id)
                .map_err(|_| format!("{text} is too large for a folder id"));
        }
        Ok(FolderArg::Path(
            text.split('/')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
        ))
    }

    /// The root folder.
    pub fn root() -> FolderArg {
        FolderArg::Id(ROOT_FOLDER)
    }

    /// The folder, or (for a path) the deepest folder of it that exists and the names below it
    /// that do not, for a caller that creates them (`mp4u sync`, as `rclone copy` does).
    pub async fn locate(&self, client: &Client) -> Result<Located, Failure> {
        let components = match self {
            FolderArg::Id(id) => {
                return Ok(Located::Found(ResolvedFolder {
                    id: *id,
                    path: None,
                }));
            }
            FolderArg::Path(components) => components,
        };
        let mut id = ROOT_FOLDER;
        let mut path = String::new();
        for (i, component) in components.iter().enumerate() {
            let listing = client.subfolders(id).await?;
            let here = if path.is_empty() { "/" } else { &path };
            match pick(&listing.folders, component) {
                Ok(folder) => {
                    id = folder.fld_id;
                    path.push('/');
                    path.push_str(&folder.name);
                }
                Err(Pick::Missing) => {
                    return Ok(Located::Missing {
                        parent: ResolvedFolder {
                            id,
                            path: Some(here.to_string()),
                        },
                        names: components[i..].to_vec(),
                    });
                }
                Err(Pick::Ambiguous(ids)) => {
                    return Err(Failure::Api(format!(
                        "{here} holds {} folders named {component:?} (ids {}): give the id",
                        ids.len(),
                        ids.iter()
                            .map(u64::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
        Ok(Located::Found(ResolvedFolder {
            id,
            path: Some(if path.is_empty() { "/".into() } else { path }),
        }))
    }

    /// The folder's id: an id as it is (the server judges it), a path walked from the root.
    pub async fn resolve(&self, client: &Client) -> Result<ResolvedFolder, Failure> {
        match self.locate(client).await? {
            Located::Found(folder) => Ok(folder),
            Located::Missing { parent, names } => Err(Failure::Api(format!(
                "no folder {:?} in {}",
                names[0],
                parent.path.as_deref().unwrap_or("/")
            ))),
        }
    }
}

impl std::str::FromStr for FolderArg {
    type Err = String;
    fn from_str(s: &str) -> Result<FolderArg, String> {
        FolderArg::parse(s)
    }
}

/// `parent/name` as a folder path (`/name` under the root).
pub fn join_path(parent: Option<&str>, name: &str) -> String {
    match parent {
        None | Some("/") | Some("") => format!("/{name}"),
        Some(parent) => format!("{}/{name}", parent.trim_end_matches('/')),
    }
}

/// What [`FolderArg::locate`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    Found(ResolvedFolder),
    /// The path leads out of the existing folders at `parent`: `names` are still to be made.
    Missing {
        parent: ResolvedFolder,
        names: Vec<String>,
    },
}

/// A folder found: its id, and its path as the folders spell it when a path was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedFolder {
    pub id: u64,
    pub path: Option<String>,
}

impl fmt::Display for ResolvedFolder {
    /// `folder 16`, or `/Anime/Frieren/Season 1 (folder 16)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) if self.id == ROOT_FOLDER => write!(f, "{path} (the root)"),
            Some(path) => write!(f, "{path} (folder {})", self.id),
            None => write!(f, "folder {}", self.id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_paths() {
        assert_eq!(FolderArg::parse("16"), Ok(FolderArg::Id(16)));
        assert_eq!(FolderArg::parse(" 0 "), Ok(FolderArg::Id(0)));
        assert_eq!(FolderArg::parse("/"), Ok(FolderArg::Path(vec![])));
        let season = FolderArg::Path(vec!["Anime".into(), "Season 1".into()]);
        for text in [
            "/Anime/Season 1",
            "Anime/Season 1",
            "/Anime/Season 1/",
            "//Anime//Season 1",
        ] {
            assert_eq!(FolderArg::parse(text).as_ref(), Ok(&season), "{text}");
        }
        assert_eq!(
            FolderArg::parse("/2023"),
            Ok(FolderArg::Path(vec!["2023".into()]))
        );
        assert_eq!(
            FolderArg::parse("2023a"),
            Ok(FolderArg::Path(vec!["2023a".into()]))
        );
        assert!(FolderArg::parse("  ").unwrap_err().contains("empty"));
        assert!(
            FolderArg::parse("99999999999999999999999")
                .unwrap_err()
                .contains("too large")
        );
    }

    #[test]
    fn shown_with_its_path() {
        let by_id = ResolvedFolder { id: 16, path: None };
        assert_eq!(by_id.to_string(), "folder 16");
        let by_path = ResolvedFolder {
            id: 16,
            path: Some("/Anime/Frieren/Season 1".into()),
        };
        assert_eq!(by_path.to_string(), "/Anime/Frieren/Season 1 (folder 16)");
        let root = ResolvedFolder {
            id: 0,
            path: Some("/".into()),
        };
        assert_eq!(root.to_string(), "/ (the root)");
    }
}
