/**
 * URLs can carry secrets: a Slack webhook's path is its token, a Grafana URL may hold
 * credentials. Whatever the platform prints of a web URL is its scheme and host at most (S3
 * locations, which name no secret, stay whole).
 */
const URL_PATTERN = /\b(https?):\/\/([^\s/?#'"<>]*)[^\s'"<>]*/gi;

/** Every URL in `text` as `scheme://host/…` (credentials in the authority dropped too). */
export function redactUrls(text: string): string {
  return text.replace(URL_PATTERN, (whole, scheme: string, authority: string) => {
    const host = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
    const rest = whole.slice(scheme.length + 3 + authority.length);
    return `${scheme}://${host}${rest ? '/…' : ''}`;
  });
}
