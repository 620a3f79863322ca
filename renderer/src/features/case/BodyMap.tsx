/** The lesion site on a front and back figure, marked where the GP's words place it. */
import { placeLesionSite, type BodyView } from '../../../../shared/domain/body-map';

function Figure({ view, marks }: { view: BodyView; marks: { x: number; y: number }[] }): React.JSX.Element {
  return (
    <g>
      <g className="figure">
        <circle cx={50} cy={17} r={12} />
        <rect x={45} y={28} width={10} height={10} />
        <rect x={30} y={37} width={40} height={76} rx={8} />
        <rect x={15} y={40} width={13} height={72} rx={6} />
        <rect x={72} y={40} width={13} height={72} rx={6} />
        <ellipse cx={21} cy={119} rx={6} ry={8} />
        <ellipse cx={79} cy={119} rx={6} ry={8} />
        <rect x={35} y={110} width={14} height={86} rx={6} />
        <rect x={51} y={110} width={14} height={86} rx={6} />
        <ellipse cx={42} cy={201} rx={8} ry={5} />
        <ellipse cx={58} cy={201} rx={8} ry={5} />
      </g>
      {marks.map((m) => (
        <g key={`${m.x},${m.y}`} className="site-mark" data-view={view}>
          <circle cx={m.x} cy={m.y} r={7} className="ring" />
          <circle cx={m.x} cy={m.y} r={3} />
        </g>
      ))}
      <text x={50} y={216} textAnchor="middle" className="figure-label">{view === 'front' ? 'Front' : 'Back'}</text>
      {/* Which way round: R and L as the patient's, the convention of clinical diagrams. */}
      <text x={4} y={10} className="side-label">{view === 'front' ? 'R' : 'L'}</text>
      <text x={96} y={10} textAnchor="end" className="side-label">{view === 'front' ? 'L' : 'R'}</text>
    </g>
  );
}

export function BodyMap({ site }: { site: string }): React.JSX.Element {
  const placed = placeLesionSite(site);
  const marksFor = (view: BodyView): { x: number; y: number }[] => (placed?.region.view === view ? placed.marks : []);
  return (
    <figure className="body-map" data-region={placed?.region.id ?? 'unplaced'} data-side={placed?.side ?? 'none'}>
      <svg viewBox="0 0 210 222" role="img" aria-label={placed ? `Body map: ${site}` : `Body map: "${site}" could not be placed`}>
        <Figure view="front" marks={marksFor('front')} />
        <g transform="translate(110 0)">
          <Figure view="back" marks={marksFor('back')} />
        </g>
      </svg>
      <figcaption>
        {placed
          ? `${placed.region.label}${placed.side ? `, ${placed.side}` : placed.region.paired ? ', side not stated' : ''}`
          : 'Not placed on the map: read the site as written.'}
      </figcaption>
    </figure>
  );
}
