//! `sitemap.xml`: the absolute URL of every page of the site, for search engines.

use crate::domain::config::Config;
use crate::render::highlight::escape;

/// `sitemap.xml`: every page (`…/index.html` among `paths`) with its absolute URL, in
/// pieces of [`SITEMAP_PIECE`] pages: that of a thousand packs is never whole in memory.
pub(crate) fn sitemap<'a>(
    paths: impl Iterator<Item = &'a str>,
    config: &'a Config,
) -> impl Iterator<Item = String> + 'a {
    let head = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut pages: Vec<&str> = paths.filter_map(|p| p.strip_suffix("index.html")).collect();
    pages.sort_unstable();
    pages.dedup();
    let pieces = (0..pages.len()).step_by(SITEMAP_PIECE).map(move |start| {
        let end = (start + SITEMAP_PIECE).min(pages.len());
        let mut xml = String::new();
        for folder in pages.get(start..end).unwrap_or_default() {
            xml.push_str("  <url><loc>");
            xml.push_str(&escape(&config.absolute_url(folder)));
            xml.push_str("</loc></url>\n");
        }
        xml
    });
    std::iter::once(head)
        .chain(pieces)
        .chain(["</urlset>\n".to_string()])
}

/// How many pages each piece of the sitemap lists.
const SITEMAP_PIECE: usize = 512;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sitemap_lists_each_page_once_in_order_across_its_pieces() {
        let config = Config::default();
        let mut paths: Vec<String> = (0..SITEMAP_PIECE * 2 + 3)
            .map(|i| format!("p{i:04}/index.html"))
            .collect();
        paths.push("p0001/index.html".into());
        paths.push("p0001/data.csv".into());
        paths.reverse();
        let pieces: Vec<String> = sitemap(paths.iter().map(String::as_str), &config).collect();
        assert_eq!(pieces.len(), 5, "head, three pieces of pages, foot");
        let xml = pieces.concat();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "));
        assert!(xml.ends_with("</url>\n</urlset>\n"));
        let locs: Vec<&str> = (xml.lines())
            .filter_map(|l| l.strip_prefix("  <url><loc>"))
            .filter_map(|l| l.strip_suffix("</loc></url>"))
            .collect();
        assert_eq!(locs.len(), SITEMAP_PIECE * 2 + 3);
        assert!(locs.windows(2).all(|w| w[0] < w[1]), "sorted, each once");
        assert!(locs.iter().all(|l| l.ends_with('/')), "{locs:?}");
    }
}
