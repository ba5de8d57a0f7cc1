import React from 'react';
import ForgeReconciler, { Text } from '@forge/react';

function App() {
  return <Text>Backup Center</Text>;
}

ForgeReconciler.render(<App />);
