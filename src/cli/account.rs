//! `mp4u account` and `mp4u stats`.

use super::table::Table;
use super::{Context, Failure};
use crate::format;

pub async fn account(cx: &Context) -> Result<(), Failure> {
    let info = cx.client.account_info().await?;
    cx.out.print(&info, || {
        let left = match info.storage_left {
            crate::api::StorageLeft::Bytes(n) => format::size(n),
            crate::api::StorageLeft::Unlimited => "unlimited".into(),
            crate::api::StorageLeft::Unknown => "-".into(),
        };
        let rows = [
            ("Email", info.email.clone().unwrap_or_else(|| "-".into())),
            (
                "Balance",
                info.balance.map_or("-".into(), |b| format!("${b:.2}")),
            ),
            (
                "Storage used",
                info.storage_used.map_or("-".into(), format::size),
            ),
            ("Storage left", left),
            (
                "Premium until",
                info.premium_expire.clone().unwrap_or_else(|| "-".into()),
            ),
        ];
        rows.iter().map(|(k, v)| format!("{k:<14} {v}\n")).collect()
    })
}

pub async fn stats(cx: &Context, last: u32) -> Result<(), Failure> {
    let days = cx.client.account_stats(Some(last)).await?;
    cx.out.print(&days, || stats_table(&days))
}

fn stats_table(days: &[crate::api::DayStats]) -> String {
    let mut t = Table::new("DAY >VIEWS >DOWNLOADS >PREMIUM >ADBLOCK >SALES >REFS >PROFIT");
    let mut total = (0, 0, 0, 0, 0, 0, 0.0);
    for d in days {
        t.row(vec![
            d.day.clone(),
            format::count(d.views),
            format::count(d.downloads),
            format::count(d.views_prem),
            format::count(d.views_adb),
            format::count(d.sales),
            format::count(d.refs),
            format!("{:.2}", d.profit_total),
        ]);
        total.0 += d.views;
        total.1 += d.downloads;
        total.2 += d.views_prem;
        total.3 += d.views_adb;
        total.4 += d.sales;
        total.5 += d.refs;
        total.6 += d.profit_total;
    }
    t.row(vec![
        "total".into(),
        format::count(total.0),
        format::count(total.1),
        format::count(total.2),
        format::count(total.3),
        format::count(total.4),
        format::count(total.5),
        format!("{:.2}", total.6),
    ]);
    t.render()
}
