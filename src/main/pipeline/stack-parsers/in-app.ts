/**
 * Whether a frame is the developer's own code, judged from its path or its module the way
 * Sentry's SDKs do: dependencies, the standard library and the runtime itself are not in-app.
 */

const LIBRARY_PATH_MARKERS = [
  '/node_modules/',
  '\\node_modules\\',
  '/site-packages/',
  '/dist-packages/',
  '\\site-packages\\',
  '/usr/lib/',
  '/usr/local/lib/',
  '/usr/share/',
  '/usr/local/go/src/',
  '/pkg/mod/',
  '/gems/',
  '/vendor/bundle/',
  '/rubygems/',
  '/lib/ruby/',
];

/** CPython's standard library outside /usr/lib (pyenv, venv base, Windows installs). */
const PYTHON_STDLIB = /[\\/]lib[\\/]python\d+(?:\.\d+)?[\\/]/i;

const RUNTIME_PATH_PREFIXES = ['node:', 'internal/', '<internal:', '<frozen ', 'native', '<anonymous>'];

export function isInAppPath(path: string | undefined): boolean {
  if (!path) return false;
  if (RUNTIME_PATH_PREFIXES.some((prefix) => path.startsWith(prefix))) return false;
  if (LIBRARY_PATH_MARKERS.some((marker) => path.includes(marker))) return false;
  if (PYTHON_STDLIB.test(path)) return false;
  return true;
}

/** JVM packages of the JDK, the Kotlin/Scala runtimes and the common frameworks. */
const JVM_LIBRARY_PREFIXES = [
  'java.', 'javax.', 'jakarta.', 'jdk.', 'sun.', 'com.sun.', 'kotlin.', 'kotlinx.', 'scala.',
  'groovy.', 'org.springframework.', 'org.apache.', 'org.hibernate.', 'org.eclipse.', 'org.junit.',
  'io.netty.', 'io.micrometer.', 'io.opentelemetry.', 'io.grpc.', 'io.reactivex.', 'reactor.',
  'okhttp3.', 'okio.', 'retrofit2.', 'com.google.', 'com.fasterxml.', 'ch.qos.', 'org.slf4j.',
  'android.', 'androidx.', 'dalvik.', 'io.ktor.',
];

/** .NET namespaces of the base class library and the Microsoft frameworks. */
const DOTNET_LIBRARY_PREFIXES = ['System.', 'Microsoft.', 'Mono.', 'Newtonsoft.', 'Npgsql.', 'Grpc.', 'OpenTelemetry.'];

export function isInAppJvmModule(module: string): boolean {
  return !JVM_LIBRARY_PREFIXES.some((prefix) => module.startsWith(prefix));
}

export function isInAppDotnetModule(module: string): boolean {
  return !DOTNET_LIBRARY_PREFIXES.some((prefix) => module.startsWith(prefix) || module === prefix.slice(0, -1));
}

/** Go's standard library has no dot in its first path element (`net/http`, `runtime`); `main` is the app. */
export function isInAppGoPackage(pkg: string, path: string | undefined): boolean {
  if (path && !isInAppPath(path)) return false;
  if (pkg === 'main' || pkg.startsWith('main.')) return true;
  const firstElement = pkg.split('/')[0] ?? '';
  return firstElement.includes('.');
}
