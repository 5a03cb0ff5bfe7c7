// whatwg-mimetype's parser module on its own (the package's index re-exports it as `MIMEType`).
declare module 'whatwg-mimetype/lib/mime-type.js' {
  import { MIMEType } from 'whatwg-mimetype';
  export default MIMEType;
}
