// Prints the README's configuration table from the settings themselves.
import { configTable } from '../shared/config.js';

console.log(configTable());
