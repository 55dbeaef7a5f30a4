/** Said above a list whose page link (`?cursor=`) was not valid, so the first page is shown. */
export function PageLinkNotice({ show }: { show: boolean }) {
  if (!show) return null;
  return (
    <p
      role="status"
      data-testid="page-link-notice"
      className="mb-4 rounded-md border border-amber-200 dark:border-amber-800 bg-amber-50 dark:bg-amber-950/40 px-3 py-2 text-sm text-amber-900 dark:text-amber-200"
    >
      The page link was not valid (it may have been cut short or edited), so this is the first page.
    </p>
  );
}
