// The app window's entry: the preload has already exposed `window.cockpit`.
import { bootstrap } from './bootstrap';

bootstrap(window.cockpit);
