import { renderToString } from 'preact-render-to-string';
export function P(props: { x: string }) {
  return <p class="a">{props.x}</p>;
}
console.log(renderToString(<P x="<b>" />));
