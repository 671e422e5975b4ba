// The browser entry (loopback bridge): installs `window.cockpit` over the socket, then starts.
import { bootstrap } from './bootstrap';
import { installLoopbackBridge } from './bridge-shim';

bootstrap(installLoopbackBridge());
