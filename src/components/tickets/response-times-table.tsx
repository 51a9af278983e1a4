import { formatDuration, formatShare } from "~/components/reports/format";

import { labelOf, PRIORITY_LABELS } from "./labels";

type ResponseTimesRow = {
  priority: string;
  medianFirstResponseSeconds: number | null;
  firstResponseWithinTarget: number;
  responded: number;
  medianResolutionSeconds: number | null;
  resolutionWithinTarget: number;
  resolved: number;
  targets: { firstResponse: number; resolution: number };
};

/** Median first response and resolution per priority, and the share within each target. */
export function ResponseTimesTable({ times }: { times: ResponseTimesRow[] }) {
  return (
    <table className="mt-2 w-full text-left text-sm">
      <thead className="text-xs text-slate-600">
        <tr>
          <th scope="col" className="py-1 pr-3 font-medium">
            Priority
          </th>
          <th scope="col" className="py-1 font-medium">
            First response (median · within target)
          </th>
          <th scope="col" className="py-1 font-medium">
            Resolution (median · within target)
          </th>
        </tr>
      </thead>
      <tbody>
        {times.map((row) => (
          <tr key={row.priority} className="border-t border-slate-100">
            <th scope="row" className="py-1 pr-3 font-medium">
              {labelOf(PRIORITY_LABELS, row.priority)}
            </th>
            <td className="py-1">
              <Measure
                median={row.medianFirstResponseSeconds}
                within={row.firstResponseWithinTarget}
                of={row.responded}
                target={row.targets.firstResponse}
              />
            </td>
            <td className="py-1">
              <Measure
                median={row.medianResolutionSeconds}
                within={row.resolutionWithinTarget}
                of={row.resolved}
                target={row.targets.resolution}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Measure({
  median,
  within,
  of,
  target,
}: {
  median: number | null;
  within: number;
  of: number;
  target: number;
}) {
  const goal = <span className="text-xs text-slate-600">(&lt; {formatDuration(target)})</span>;
  if (of === 0) return <span className="text-slate-600">None yet {goal}</span>;
  return (
    <>
      {formatDuration(median)} · {formatShare(within, of)} of {of} {goal}
    </>
  );
}
