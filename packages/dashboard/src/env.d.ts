/// <reference types="vite/client" />

// For tools that read .ts without Vue's language service (ESLint's type checker); vue-tsc sees
// the components' real types.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
