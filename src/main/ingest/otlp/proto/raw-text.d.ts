/** Vite inlines `?raw` imports as the file's text; the OTLP schema is bundled this way. */
declare module '*.proto?raw' {
  const text: string;
  export default text;
}
