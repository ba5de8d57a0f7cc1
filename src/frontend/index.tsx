import React from 'react';
import ForgeReconciler from '@forge/react';
import { App } from './App';

// No StrictMode: in development it mounts effects twice, which would double every resolver call on page load.
ForgeReconciler.render(<App />);
