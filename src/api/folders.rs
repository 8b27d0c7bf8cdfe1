//! The folder calls: `folder/list` (every field, the subfolders only, or where each file is),
//! `folder/create`, `folder/rename`.

use super::de::Skipped;
use super::error::ApiError;
use super::types::{CreatedFolder, FolderIndex, FolderListing, Subfolders};

use super::client::Client;
use super::client::opt_param;
use super::names::checked_name;

impl Client {
    /// `folder/list`: the subfolders and files of a folder (0 is the root), every field.
    pub async fn folder_list(&self, fld_id: u64) -> Result<FolderListing, ApiError> {
        self.folder_contents(fld_id).await
    }

    /// `folder/list` for the subfolders only: the files are read past, never held.
    pub async fn subfolders(&self, fld_id: u64) -> Result<Subfolders, ApiError> {
        self.folder_contents(fld_id).await
    }

    /// `folder/list` for the subfolders and where each file lives (code and folder only).
    pub async fn folder_index(&self, fld_id: u64) -> Result<FolderIndex, ApiError> {
        self.folder_contents(fld_id).await
    }

    async fn folder_contents<F>(
        &self,
        fld_id: u64,
    ) -> Result<super::types::FolderContents<F>, ApiError>
    where
        F: super::types::FileRows,
    {
        let reply = self
            .read::<super::types::FolderContents<F>>(
                "folder/list",
                &[("fld_id", fld_id.to_string())],
            )
            .await?;
        Ok(reply.env.result)
    }

    /// `folder/create`: a new folder inside `parent_id` (the root when `None`); its id.
    pub async fn folder_create(&self, parent_id: Option<u64>, name: &str) -> Result<u64, ApiError> {
        let name = checked_name(name)?;
        let mut params = opt_param("parent_id", parent_id);
        params.push(("name", name));
        let reply = self.call::<CreatedFolder>("folder/create", &params).await?;
        reply
            .env
            .result
            .0
            .map(|id| id.0)
            .ok_or_else(|| self.unexpected("folder/create", &reply.body))
    }

    /// `folder/rename`.
    pub async fn folder_rename(&self, fld_id: u64, name: &str) -> Result<(), ApiError> {
        let name = checked_name(name)?;
        self.call::<Skipped>(
            "folder/rename",
            &[("fld_id", fld_id.to_string()), ("name", name)],
        )
        .await?;
        Ok(())
    }
}
