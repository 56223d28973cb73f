// Said where a link named a dataset that is none (deleted, mistyped) and the page opened on
// another: the analytics views and the judgments list. Only an id is repeated: a link's other
// text is not the studio's to show.
export function MissingDatasetNotice({ asked, shown, className = "" }: { asked: string; shown: string; className?: string }) {
  return (
    <p role="status" className={`rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ${className}`} data-testid="dataset-missing">
      {/^\d{1,12}$/.test(asked) ? <>There is no dataset &ldquo;{asked}&rdquo;</> : "The link names no dataset"} (it does not exist, or is being deleted):
      this is {shown}.
    </p>
  );
}
